package dev.sendsar.infra;

import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.services.lambda.AssetCode;
import software.amazon.awscdk.services.lambda.Code;
import software.constructs.Construct;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one code package every function runs (the functions module built with {@code -Plambda}). When it has not been
 * built, tests and CI synth with a placeholder and a warning; a deploy sets {@code requireLambdaJar=true} so a
 * placeholder can never reach AWS.
 */
public final class LambdaCode {
    /** A directory with a README only: enough for an asset hash, useless as a function. */
    static final Path PLACEHOLDER = Path.of("placeholder-code");

    private LambdaCode() {
    }

    public static AssetCode resolve(Construct scope, DeploymentSettings settings) {
        Path jar = settings.lambdaJar();
        if (Files.isRegularFile(jar)) {
            return Code.fromAsset(jar.toString());
        }
        String message = "Lambda code package " + jar + " not found: build it with "
                + "'./mvnw -B -Plambda -pl functions -am package -DskipTests' before deploying";
        if (settings.requireLambdaJar()) {
            throw new IllegalStateException(message);
        }
        Annotations.of(scope).addWarningV2("sendsar:placeholder-code", message + "; this synth uses a placeholder and is not deployable");
        return Code.fromAsset(PLACEHOLDER.toString());
    }
}
