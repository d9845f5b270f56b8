package dev.sendsar.routes;

import dev.sendsar.service.RealtimePublisher;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What every function runs with: the JVM options ({@code JAVA_TOOL_OPTIONS}, set by the CDK stack) and the memory
 * size the stack gives a function without a {@code memoryMb} override, kept here so the benches measure with exactly
 * what is deployed (the cold-start probes' options; the memory Lambda's duration is billed at).
 */
public final class LambdaJvm {
    /**
     * Idle HTTP connections the JDK keeps open per host for reuse ({@code http.maxConnections}, read by the
     * URL-connection client the AWS SDK clients use). Its default, 5, is fewer than a send's calls at once: a send
     * posts to up to {@link RealtimePublisher#POSTS_AT_ONCE} sockets at once (no more run at once in an instance),
     * and every post past the fifth opened a new connection to the {@code @connections} endpoint (on AWS a TLS
     * handshake) and closed it after.
     */
    public static final int KEEP_ALIVE_CONNECTIONS = RealtimePublisher.POSTS_AT_ONCE;

    /**
     * System properties of every function: {@link #KEEP_ALIVE_CONNECTIONS}. They go into {@link #JAVA_TOOL_OPTIONS};
     * the local runtime, whose functions share the host's JVM, sets them there, so they behave as deployed.
     */
    public static final Map<String, String> SYSTEM_PROPERTIES =
            Map.of("http.maxConnections", String.valueOf(KEEP_ALIVE_CONNECTIONS));

    /**
     * C1 only: most of a request's work happens before C2 would pay off, and SnapStart restores warm C1 code. Serial
     * GC: what the JVM picks by itself on a 1,024 MB function (under 2 CPUs and 1,792 MB it is not a "server class"
     * machine), written out so a bench on a bigger machine measures the same collector; it also costs no GC threads
     * while the context starts. Then {@link #SYSTEM_PROPERTIES}.
     */
    public static final String JAVA_TOOL_OPTIONS = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
            + SYSTEM_PROPERTIES.entrySet().stream().map(p -> " -D" + p.getKey() + "=" + p.getValue()).sorted()
            .collect(Collectors.joining());

    /** The stack's default memory size in MB (CDK context {@code memoryMb} and {@code memoryMb.<route>} override it). */
    public static final int MEMORY_MB = 1024;

    private LambdaJvm() {
    }

    public static List<String> options() {
        return Arrays.asList(JAVA_TOOL_OPTIONS.split(" "));
    }
}
