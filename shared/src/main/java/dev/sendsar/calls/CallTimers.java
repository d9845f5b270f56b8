package dev.sendsar.calls;

import io.micronaut.serde.annotation.Serdeable;

/**
 * Delayed work about one call: the ring timeout of a 1:1 call, and a retry of a finished call's clean-up. A delayed
 * message cannot be cancelled, so whoever handles it re-reads the call and acts only on what is still due.
 */
public interface CallTimers {

    @Serdeable
    record CallRef(String tenantId, String roomId, String callId) {
    }

    /** Has {@code call} looked at again in {@code delaySeconds} (at most 900). */
    void checkLater(CallRef call, int delaySeconds);
}
