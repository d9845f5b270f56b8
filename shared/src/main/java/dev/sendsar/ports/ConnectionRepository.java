package dev.sendsar.ports;

import dev.sendsar.domain.Connection;

import java.util.List;
import java.util.Optional;

/** Open WebSocket connections. Expired items are never returned, whether or not storage has deleted them yet. */
public interface ConnectionRepository {

    void save(Connection connection);

    Optional<Connection> find(String connectionId);

    void delete(String connectionId);

    /** Forgets a connection a post found gone: its record and its entry in its user's set, even if the record is gone. */
    void forget(Connection connection);

    /** Sets the one room the connection has joined, or clears it with {@code null}. */
    void joinRoom(String connectionId, String roomId);

    /**
     * Where to deliver to these users, from their connection sets alone (one batch read per 100 users): id, user and
     * connect time of each socket, no room. A socket whose {@code $disconnect} was missed may be among them until a
     * post to it answers 410 and {@link #forget} drops it.
     */
    List<Connection> reachable(String tenantId, java.util.Collection<String> userIds);

    /** The open connections of these users, whole (any number: the store reads them in batches). */
    List<Connection> ofUsers(String tenantId, java.util.Collection<String> userIds);

    default List<Connection> ofUser(String tenantId, String userId) {
        return ofUsers(tenantId, List.of(userId));
    }

    /**
     * Open connections of the tenant, at most {@code limit} of them, for presence snapshots and broadcasts; without
     * their joined room ({@code roomId} null).
     */
    List<Connection> ofTenant(String tenantId, int limit);

    /** Marks the connection as announced to its tenant; {@code true} only the first time (its first {@code hello}). */
    boolean markAnnounced(String connectionId);

    /** Notes that the connection is typing in the room, so its stop can be told. */
    void startTyping(String connectionId, String roomId);

    /** Clears the note for the room; {@code true} only if it was set, so each start is stopped once at most. */
    boolean stopTyping(String connectionId, String roomId);

    /** Keeps a connection alive until {@code expiresAtEpochSeconds}: each client frame extends it. */
    void touch(String connectionId, long expiresAtEpochSeconds);
}
