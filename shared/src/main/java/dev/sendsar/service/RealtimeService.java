package dev.sendsar.service;

import dev.sendsar.auth.Authenticator;
import dev.sendsar.domain.Caller;
import dev.sendsar.domain.Connection;
import dev.sendsar.domain.Member;
import dev.sendsar.domain.Page;
import dev.sendsar.domain.Room;
import dev.sendsar.domain.Times;
import dev.sendsar.error.ApiException;
import dev.sendsar.ports.ConnectionRepository;
import dev.sendsar.ports.RoomRepository;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** What the WebSocket routes do: connect, disconnect and the client's actions. */
@Singleton
public class RealtimeService {
    /** API Gateway closes every socket after 2 hours; the item outlives that a little. */
    static final Duration CONNECTION_TTL = Duration.ofMinutes(130);

    private final Authenticator authenticator;
    private final ConnectionRepository connections;
    private final RoomRepository rooms;
    private final RealtimePublisher publisher;

    public RealtimeService(Authenticator authenticator, ConnectionRepository connections, RoomRepository rooms,
                           RealtimePublisher publisher) {
        this.authenticator = authenticator;
        this.connections = connections;
        this.rooms = rooms;
        this.publisher = publisher;
    }

    /** Accepts a socket for a valid session token (API keys are refused: realtime is per user). */
    public Caller connect(String connectionId, String token, long connectedAtMillis) {
        if (token == null || token.isBlank() || token.startsWith("sk_")) {
            throw ApiException.unauthorized("Connect with ?token=<session JWT>");
        }
        Caller caller = authenticator.userOf(token);
        Instant connectedAt = Instant.ofEpochMilli(connectedAtMillis);
        connections.save(new Connection(connectionId, caller.tenantId(), caller.userId(), null, Times.format(connectedAt),
                connectedAt.plus(CONNECTION_TTL).getEpochSecond()));
        return caller;
    }

    public void disconnect(String connectionId) {
        connections.delete(connectionId);
    }

    public void hello(String connectionId) {
        Connection c = connection(connectionId);
        Map<String, Object> ready = new LinkedHashMap<>();
        ready.put("userId", c.userId());
        ready.put("tenantId", c.tenantId());
        ready.put("connectionId", connectionId);
        ready.put("serverTime", Times.now());
        ready.put("unreadTotal", unreadTotal(c.tenantId(), c.userId()));
        publisher.send(connectionId, "ready", ready);
    }

    public void joinRoom(String connectionId, String roomId) {
        Connection c = connection(connectionId);
        if (roomId == null || roomId.isBlank()) {
            throw ApiException.badRequest("validation_failed", "roomId is required");
        }
        Optional<Member> member = rooms.member(c.tenantId(), roomId, c.userId());
        if (member.isEmpty()) {
            throw ApiException.notFound("room_not_found", "Room not found");
        }
        connections.joinRoom(connectionId, roomId);
        publisher.send(connectionId, "joined-room", Map.of("roomId", roomId));
    }

    public void leaveRoom(String connectionId, String roomId) {
        Connection c = connection(connectionId);
        if (c.roomId() != null && (roomId == null || roomId.equals(c.roomId()))) {
            connections.joinRoom(connectionId, null);
        }
        publisher.send(connectionId, "left-room", Map.of("roomId", roomId == null ? c.roomId() : roomId));
    }

    public void ping(String connectionId) {
        publisher.send(connectionId, "pong", Map.of("serverTime", Times.now()));
    }

    /** Tells the client what went wrong with its frame; the socket stays open. */
    public void error(String connectionId, String code, String message) {
        publisher.send(connectionId, "error", Map.of("code", code, "message", message));
    }

    private Connection connection(String connectionId) {
        return connections.find(connectionId)
                .orElseThrow(() -> ApiException.unauthorized("Unknown connection: reconnect"));
    }

    /** Unread messages over all the user's rooms: each room's lastSeq less the user's read cursor. */
    long unreadTotal(String tenantId, String userId) {
        long total = 0;
        String cursor = null;
        do {
            Page<Member> page = rooms.membershipsOf(tenantId, userId, cursor, 100);
            Map<String, Room> byId = rooms.findAll(tenantId, page.items().stream().map(Member::roomId).toList());
            for (Member m : page.items()) {
                Room r = byId.get(m.roomId());
                if (r != null) {
                    total += Math.max(0, r.lastSeq() - m.lastReadSeq());
                }
            }
            cursor = page.nextCursor();
        } while (cursor != null);
        return total;
    }
}
