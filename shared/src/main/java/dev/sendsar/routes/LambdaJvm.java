package dev.sendsar.routes;

import dev.sendsar.service.RealtimePublisher;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What every function runs with: the JVM options ({@code JAVA_TOOL_OPTIONS}, set by the CDK stack) and the memory
 * size the stack gives a function without a {@code memoryMb} override, kept here so the benches measure with exactly
 * what is deployed (the cold-start probes' options; the memory Lambda's duration is billed at).
 */
public final class LambdaJvm {
    /**
     * Idle HTTP connections the JDK keeps open per host for reuse ({@code http.maxConnections}, read by the
     * URL-connection client the AWS SDK clients use). Its default, 5, is fewer than a send's calls at once: a send
     * posts to up to {@link RealtimePublisher#INLINE_MEMBERS} sockets in parallel, and every post past the fifth
     * opened a new connection to the {@code @connections} endpoint (on AWS a TLS handshake) and closed it after.
     */
    public static final int KEEP_ALIVE_CONNECTIONS = RealtimePublisher.INLINE_MEMBERS;

    /**
     * C1 only: most of a request's work happens before C2 would pay off, and SnapStart restores warm C1 code. Serial
     * GC: what the JVM picks by itself on a 1,024 MB function (under 2 CPUs and 1,792 MB it is not a "server class"
     * machine), written out so a bench on a bigger machine measures the same collector; it also costs no GC threads
     * while the context starts. And {@link #KEEP_ALIVE_CONNECTIONS}.
     */
    public static final String JAVA_TOOL_OPTIONS = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
            + " -Dhttp.maxConnections=" + KEEP_ALIVE_CONNECTIONS;

    /** The stack's default memory size in MB (CDK context {@code memoryMb} and {@code memoryMb.<route>} override it). */
    public static final int MEMORY_MB = 1024;

    private LambdaJvm() {
    }

    public static List<String> options() {
        return Arrays.asList(JAVA_TOOL_OPTIONS.split(" "));
    }

    /**
     * The system properties of {@link #JAVA_TOOL_OPTIONS} ({@code -Dname=value}): the local runtime, whose functions
     * share the host's JVM, sets them there, so they behave as deployed.
     */
    public static Map<String, String> systemProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        for (String option : options()) {
            if (option.startsWith("-D")) {
                int eq = option.indexOf('=');
                properties.put(option.substring(2, eq), option.substring(eq + 1));
            }
        }
        return properties;
    }
}
