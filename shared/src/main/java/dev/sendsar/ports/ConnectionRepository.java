package dev.sendsar.ports;

import dev.sendsar.domain.Connection;

import java.util.List;
import java.util.Optional;

/** Open WebSocket connections. Expired items are never returned, whether or not storage has deleted them yet. */
public interface ConnectionRepository {

    void save(Connection connection);

    Optional<Connection> find(String connectionId);

    void delete(String connectionId);

    /** Sets the one room the connection has joined, or clears it with {@code null}. */
    void joinRoom(String connectionId, String roomId);

    /** The open connections of these users (any number: the store reads them in batches). */
    List<Connection> ofUsers(String tenantId, java.util.Collection<String> userIds);

    /** Every open connection of the tenant, for presence snapshots and broadcasts. */
    List<Connection> ofTenant(String tenantId);

    /** Keeps a connection alive until {@code expiresAtEpochSeconds}: each client frame extends it. */
    void touch(String connectionId, long expiresAtEpochSeconds);
}
