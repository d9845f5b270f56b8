package dev.sendsar.local;

import java.util.Locale;

/**
 * One function invocation as Lambda accounts for it in the {@code REPORT} line it writes to the function's log group
 * after each invocation: the handler's time from being handed the event to its return, billed rounded up to the
 * next millisecond, at the function's memory size.
 *
 * @param function      the function's name in the route table ({@code send-message}, {@code ws-hello}…)
 * @param requestId     this invocation's id, as Lambda gives each one
 * @param durationNanos the handler's time, from invocation to return
 * @param memoryMb      the memory size the function is deployed with
 * @param records       the records its event carried: a worker's batch (queue messages or stream records); 1 for a
 *                      request
 */
public record Invocation(String function, String requestId, long durationNanos, int memoryMb, int records) {

    /** Lambda bills duration in 1 ms steps, rounded up: 12.01 ms is 13 ms. */
    public static long billedMillis(long nanos) {
        return Math.max(1, (nanos + 999_999) / 1_000_000);
    }

    public long billedMillis() {
        return billedMillis(durationNanos);
    }

    /**
     * The line as Lambda writes it (tab-separated). "Max Memory Used" is left out: every function shares one JVM
     * here, so there is no per-function figure to give.
     */
    public String reportLine() {
        return String.format(Locale.ROOT, "REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: %d MB",
                requestId, durationNanos / 1e6, billedMillis(), memoryMb);
    }
}
