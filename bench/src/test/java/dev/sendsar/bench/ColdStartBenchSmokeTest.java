package dev.sendsar.bench;

import dev.sendsar.local.LocalStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keeps the cold-start probe working: each function, built in a fresh JVM the way Lambda builds it (no-arg
 * constructor, beans made on first use), answers its first request with a 2xx (a send into a real room, a
 * {@code $connect} with a real session token), and the report shows each against the floor.
 */
class ColdStartBenchSmokeTest {

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void everyFunctionAnswersItsFirstRequestInAFreshJvm() throws Exception {
        try (LocalStack stack = LocalStack.start(LocalStack.Options.inMemory())) {
            ColdStartBench.Result result = ColdStartBench.run(stack, null, null, 1, Main.DEPLOYED_JVM_OPTIONS);

            // each function also after SnapStart's priming, as a restored function answers its first request
            for (String function : ColdStartBench.FUNCTIONS) {
                ColdStartBench.Run run = result.function(function).runs().get(0);
                assertEquals(2, run.status() / 100, function + " answered " + run.status());
                assertTrue(run.construct() > 0 && run.total() > run.construct(), function + " timings");
            }
            // the floor loads a Micronaut context; a Sendsar function loads more than the floor
            assertTrue(result.function("floor").runs().get(0).classes() > 1000, "floor's classes counted");
            assertTrue(result.function("connect").runs().get(0).classes() > result.function("floor").runs().get(0).classes(),
                    "$connect's classes counted");
            String report = Main.coldStartReport(result);
            assertTrue(report.contains("x floor"), report);
            assertTrue(report.contains("$connect"), report);
            assertTrue(report.contains("First request after a SnapStart restore"), report);
        }
    }

    /** The package runs as Lambda lays it out: extracted into a task root, every entry where the jar had it. */
    @Test
    void aPackageIsExtractedLikeLambdasTaskRoot_andAnEntryOutsideItIsRefused(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path jar = dir.resolve("package-" + System.nanoTime() + ".jar");
        try (var out = new java.util.jar.JarOutputStream(java.nio.file.Files.newOutputStream(jar))) {
            out.putNextEntry(new java.util.jar.JarEntry("dev/sendsar/Handler.class"));
            out.write(new byte[]{(byte) 0xCA, (byte) 0xFE});
            out.putNextEntry(new java.util.jar.JarEntry("META-INF/sendsar/preload/rest.txt"));
            out.write("dev.sendsar.Handler\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        java.nio.file.Path root = ColdStartBench.taskRoot(jar);
        assertEquals(2, java.nio.file.Files.size(root.resolve("dev/sendsar/Handler.class")));
        assertEquals("dev.sendsar.Handler\n", java.nio.file.Files.readString(root.resolve("META-INF/sendsar/preload/rest.txt")));
        assertEquals(root, ColdStartBench.taskRoot(jar), "extracted once per package content");

        java.nio.file.Path evil = dir.resolve("evil-" + System.nanoTime() + ".jar");
        try (var out = new java.util.zip.ZipOutputStream(java.nio.file.Files.newOutputStream(evil))) {
            out.putNextEntry(new java.util.zip.ZipEntry("../outside.txt"));
            out.write(1);
        }
        org.junit.jupiter.api.Assertions.assertThrows(java.io.UncheckedIOException.class, () -> ColdStartBench.taskRoot(evil));
    }
}
