package dev.sendsar.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sendsar.routes.LambdaJvm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The memory size the CDK stack deploys a function with, from the sources the stack reads: the context of
 * {@code infra-cdk/cdk.json} ({@code memoryMb.<route>}, then {@code memoryMb}), else the stack's default
 * ({@link LambdaJvm#MEMORY_MB}). A {@code -c memoryMb=…} given to one deploy is not in any file: price it by scaling
 * the Lambda-time line.
 *
 * @param source where the figure came from, for the report
 */
record DeployedMemory(int mb, String source) {
    static final Path CDK_JSON = Path.of("infra-cdk", "cdk.json");

    static DeployedMemory of(String route, Path cdkJson) {
        if (Files.isRegularFile(cdkJson)) {
            try {
                JsonNode context = new ObjectMapper().readTree(cdkJson.toFile()).path("context");
                for (String key : new String[]{"memoryMb." + route, "memoryMb"}) {
                    JsonNode value = context.get(key);
                    if (value != null && !value.asText().isBlank()) {
                        return new DeployedMemory((int) Double.parseDouble(value.asText().trim()), key + " in " + cdkJson);
                    }
                }
            } catch (IOException | NumberFormatException unreadable) {
                throw new IllegalStateException(cdkJson + " does not give a readable memory size: " + unreadable.getMessage());
            }
        }
        return new DeployedMemory(LambdaJvm.MEMORY_MB, "the stack's default, no memoryMb in " + cdkJson);
    }
}
