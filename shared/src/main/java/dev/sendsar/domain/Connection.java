package dev.sendsar.domain;

/** An open WebSocket of one user; {@code roomId} is the one room it has joined, if any. */
public record Connection(String connectionId, String tenantId, String userId, String roomId, String connectedAt,
                         long expiresAtEpochSeconds) {
}
