package dev.sendsar.routes;

import java.util.Arrays;
import java.util.List;

/**
 * What every function runs with: the JVM options ({@code JAVA_TOOL_OPTIONS}, set by the CDK stack) and the memory
 * size the stack gives a function without a {@code memoryMb} override, kept here so the benches measure with exactly
 * what is deployed (the cold-start probes' options; the memory Lambda's duration is billed at).
 */
public final class LambdaJvm {
    /**
     * C1 only: most of a request's work happens before C2 would pay off, and SnapStart restores warm C1 code. Serial
     * GC: what the JVM picks by itself on a 1,024 MB function (under 2 CPUs and 1,792 MB it is not a "server class"
     * machine), written out so a bench on a bigger machine measures the same collector; it also costs no GC threads
     * while the context starts.
     */
    public static final String JAVA_TOOL_OPTIONS = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1 -XX:+UseSerialGC";

    /** The stack's default memory size in MB (CDK context {@code memoryMb} and {@code memoryMb.<route>} override it). */
    public static final int MEMORY_MB = 1024;

    private LambdaJvm() {
    }

    public static List<String> options() {
        return Arrays.asList(JAVA_TOOL_OPTIONS.split(" "));
    }
}
