package dev.sendsar.domain;

import java.time.Duration;

/** An open WebSocket of one user; {@code roomId} is the one room it has joined, if any. */
public record Connection(String connectionId, String tenantId, String userId, String roomId, String connectedAt,
                         long expiresAtEpochSeconds) {
    /** No connection lives longer: API Gateway closes a socket after 2 hours (plus a minute of slack). */
    public static final Duration MAX_LIFETIME = Duration.ofMinutes(121);
}
