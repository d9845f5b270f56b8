package dev.sendsar.service;

import dev.sendsar.domain.Connection;
import dev.sendsar.json.Json;
import dev.sendsar.ports.ConnectionGateway;
import dev.sendsar.ports.ConnectionRepository;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Delivers server events to every open connection of the given users: connection lookups and posts run in
 * parallel; a connection API Gateway says is gone (410) is forgotten on the spot.
 */
@Singleton
public class RealtimePublisher {
    private static final Logger LOG = LoggerFactory.getLogger(RealtimePublisher.class);

    @Serdeable
    public record Frame(String event, Object data) {
    }

    private final ConnectionRepository connections;
    private final ConnectionGateway gateway;
    private final Json json;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fan-out");
        t.setDaemon(true);
        return t;
    });

    public RealtimePublisher(ConnectionRepository connections, ConnectionGateway gateway, Json json) {
        this.connections = connections;
        this.gateway = gateway;
        this.json = json;
    }

    public String frame(String event, Object data) {
        return json.write(new Frame(event, data));
    }

    /** Sends {@code event} to every connection of every user in {@code userIds}; returns when all posts are done. */
    public void publish(String tenantId, Collection<String> userIds, String event, Object data) {
        String frame = frame(event, data);
        List<CompletableFuture<Void>> posts = userIds.stream()
                .map(userId -> CompletableFuture.supplyAsync(() -> connections.ofUser(tenantId, userId), pool)
                        .thenCompose(open -> CompletableFuture.allOf(open.stream()
                                .map(c -> CompletableFuture.runAsync(() -> post(c, frame), pool))
                                .toArray(CompletableFuture[]::new))))
                .toList();
        CompletableFuture.allOf(posts.toArray(CompletableFuture[]::new))
                .exceptionally(e -> {
                    LOG.warn("Fan-out of {} was incomplete: {}", event, e.toString());
                    return null;
                }).join();
    }

    /** Sends {@code event} to exactly these connections, in parallel. */
    public void publishTo(Collection<Connection> targets, String event, Object data) {
        if (targets.isEmpty()) {
            return;
        }
        String frame = frame(event, data);
        CompletableFuture.allOf(targets.stream().map(c -> CompletableFuture.runAsync(() -> post(c, frame), pool))
                .toArray(CompletableFuture[]::new)).exceptionally(e -> {
                    LOG.warn("Delivery of {} was incomplete: {}", event, e.toString());
                    return null;
                }).join();
    }

    /** The open connections of these users, looked up in parallel. */
    public List<Connection> connectionsOf(String tenantId, Collection<String> userIds) {
        return userIds.stream().map(u -> CompletableFuture.supplyAsync(() -> connections.ofUser(tenantId, u), pool)).toList()
                .stream().flatMap(f -> f.join().stream()).toList();
    }

    /** Sends one frame to one connection, forgetting the connection if it is gone. */
    public void send(String connectionId, String event, Object data) {
        if (!gateway.post(connectionId, frame(event, data))) {
            connections.delete(connectionId);
        }
    }

    private void post(Connection c, String frame) {
        if (!gateway.post(c.connectionId(), frame)) {
            connections.delete(c.connectionId());
        }
    }

    @PreDestroy
    void close() {
        pool.shutdownNow();
    }
}
