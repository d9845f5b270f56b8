package dev.sendsar.calls;

import io.micronaut.serde.annotation.Serdeable;

/**
 * Delayed work about one call: the ring timeout of a 1:1 call, and a check of a finished call's clean-up. A delayed
 * message cannot be cancelled, so whoever handles it re-reads the call and acts only on what is still due.
 */
public interface CallTimers {

    /** {@code cleanUpOnly}: a check of the clean-up alone, which never ends a call that is not over (no ring timeout). */
    @Serdeable
    record CallRef(String tenantId, String roomId, String callId, boolean cleanUpOnly) {
        public static CallRef ringTimeout(String tenantId, String roomId, String callId) {
            return new CallRef(tenantId, roomId, callId, false);
        }

        public static CallRef cleanUp(String tenantId, String roomId, String callId) {
            return new CallRef(tenantId, roomId, callId, true);
        }
    }

    /** Has {@code call} looked at again in {@code delaySeconds} (at most 900). */
    void checkLater(CallRef call, int delaySeconds);
}
