package dev.sendsar.service;

import dev.sendsar.error.ErrorCode;
import dev.sendsar.domain.Caller;
import dev.sendsar.domain.Connection;
import dev.sendsar.domain.RateLimitedAction;
import dev.sendsar.domain.Room;
import dev.sendsar.domain.Times;
import dev.sendsar.error.ApiException;
import dev.sendsar.ports.ConnectionRepository;
import dev.sendsar.ports.RoomRepository;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the WebSocket routes do: connect, disconnect, and the client's actions, with tenant and room presence.
 * A connection counts as open while its client keeps talking: API Gateway closes a socket idle for 10 minutes
 * and may miss the {@code $disconnect}, so each client frame extends the connection's life by 11 minutes (never
 * past the 2-hour cap) and an expired connection is offline whether or not its item is gone yet.
 */
@Singleton
public class RealtimeService {
    static final Duration IDLE_LIFETIME = Duration.ofMinutes(11);
    /** A typing indicator nobody stops ends by itself on receivers after this long. */
    static final Duration TYPING_EXPIRY = Duration.ofSeconds(6);
    /** Open sockets per user: enough for a phone, a few tabs and a desktop app; one more is refused (429). */
    public static final int MAX_CONNECTIONS_PER_USER = 10;
    /** Sockets a user may open per minute: each one can tell the whole tenant it came online and went offline. */
    public static final int MAX_CONNECTS_PER_MINUTE = 30;
    /**
     * The most connections one tenant-wide presence event goes to, and the most a tenant presence snapshot is made
     * of: beyond it tenant presence is partial, room presence (bounded by the room) stays exact.
     */
    public static final int MAX_TENANT_PRESENCE_FANOUT = 1000;

    private final ConnectionRepository connections;
    private final RoomRepository rooms;
    private final RealtimePublisher publisher;
    private final RateLimitService rateLimits;

    public RealtimeService(ConnectionRepository connections, RoomRepository rooms,
                           RealtimePublisher publisher, RateLimitService rateLimits) {
        this.connections = connections;
        this.rooms = rooms;
        this.publisher = publisher;
        this.rateLimits = rateLimits;
    }

    /**
     * Records the socket of a session user, whose token {@code $connect} has validated, at most
     * {@link #MAX_CONNECTS_PER_MINUTE} a minute and {@link #MAX_CONNECTIONS_PER_USER} open at once per user.
     */
    public void connect(String connectionId, Caller caller, long connectedAtMillis) {
        rateLimits.check(caller.tenantId(), caller.userId(), RateLimitedAction.CONNECT, MAX_CONNECTS_PER_MINUTE);
        requireRoomForAnotherConnection(caller);
        Instant connectedAt = Instant.ofEpochMilli(connectedAtMillis);
        connections.save(new Connection(connectionId, caller.tenantId(), caller.userId(), null, Times.format(connectedAt),
                expiry(connectedAt)));
    }

    /**
     * A user at the cap may still connect when some of its connections are records of sockets that closed without
     * a {@code $disconnect} (API Gateway may miss it): those are asked after and forgotten.
     */
    private void requireRoomForAnotherConnection(Caller caller) {
        List<Connection> open = connections.ofUser(caller.tenantId(), caller.userId());
        if (open.size() < MAX_CONNECTIONS_PER_USER) {
            return;
        }
        long stillOpen = open.stream().filter(c -> {
            if (publisher.isGone(c)) {
                connections.forget(c);
                return false;
            }
            return true;
        }).count();
        if (stillOpen >= MAX_CONNECTIONS_PER_USER) {
            throw new ApiException(ErrorCode.TOO_MANY_CONNECTIONS,
                    "At most " + MAX_CONNECTIONS_PER_USER + " open connections per user: close one first");
        }
    }

    /** Forgets the connection; the user's last connection going means offline for the tenant. */
    public void disconnect(String connectionId) {
        Connection c = connections.find(connectionId).orElse(null);
        connections.delete(connectionId);
        if (c == null) {
            return;
        }
        if (connections.ofUser(c.tenantId(), c.userId()).isEmpty()) {
            publisher.publishTo(connections.ofTenant(c.tenantId(), MAX_TENANT_PRESENCE_FANOUT), "tenant-presence",
                    presence(null, c.userId(), false));
        }
        if (c.roomId() != null) {
            leftRoomPresence(c, c.roomId());
        }
    }

    /**
     * {@code ready}, then who is online. Only a connection's first {@code hello} may tell the tenant the user is
     * online (when it is the user's only connection): a repeated one answers the caller alone.
     */
    public void hello(String connectionId) {
        Connection c = active(connectionId);
        // decided before `ready`: once the client has it, it may close its other sockets, which must not count
        boolean announce = connections.markAnnounced(connectionId) && connections.ofUser(c.tenantId(), c.userId()).size() <= 1;
        Map<String, Object> ready = new LinkedHashMap<>();
        ready.put("userId", c.userId());
        ready.put("tenantId", c.tenantId());
        ready.put("connectionId", connectionId);
        ready.put("serverTime", Times.now());
        ready.put("unreadTotal", unreadTotal(c.tenantId(), c.userId()));
        publisher.send(connectionId, "ready", ready);
        List<Connection> tenant = connections.ofTenant(c.tenantId(), MAX_TENANT_PRESENCE_FANOUT);
        publisher.send(connectionId, "tenant-presence-snapshot",
                Map.of("onlineUserIds", tenant.stream().map(Connection::userId).distinct().sorted().toList()));
        if (announce) {
            publisher.publishTo(tenant.stream().filter(o -> !o.userId().equals(c.userId())).toList(),
                    "tenant-presence", presence(null, c.userId(), true));
        }
    }

    /** One joined room per connection: joining another leaves the previous one. */
    public void joinRoom(String connectionId, String roomId) {
        Connection c = active(connectionId);
        rateLimits.check(c.tenantId(), c.userId(), RateLimitedAction.JOIN_ROOM);
        if (roomId == null || roomId.isBlank()) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "roomId is required");
        }
        Room room = rooms.find(c.tenantId(), roomId).filter(r -> r.hasMember(c.userId()))
                .orElseThrow(() -> new ApiException(ErrorCode.ROOM_NOT_FOUND, "Room not found"));
        boolean rejoin = roomId.equals(c.roomId());
        connections.joinRoom(connectionId, roomId);
        publisher.send(connectionId, "joined-room", Map.of("roomId", roomId));
        if (c.roomId() != null && !c.roomId().equals(roomId)) {
            leftRoomPresence(c, c.roomId());
        }
        List<Connection> joined = joinedTo(c.tenantId(), room);
        publisher.send(connectionId, "presence-snapshot", Map.of("roomId", roomId,
                "onlineUserIds", joined.stream().map(Connection::userId).distinct().sorted().toList()));
        boolean alreadyHere = joined.stream().anyMatch(o -> o.userId().equals(c.userId()) && !o.connectionId().equals(connectionId));
        if (!alreadyHere && !rejoin) {
            publisher.publishTo(joined.stream().filter(o -> !o.userId().equals(c.userId())).toList(),
                    "presence", presence(roomId, c.userId(), true));
        }
    }

    public void leaveRoom(String connectionId, String roomId) {
        Connection c = active(connectionId);
        String left = roomId == null ? c.roomId() : roomId;
        if (c.roomId() != null && c.roomId().equals(left)) {
            connections.joinRoom(connectionId, null);
            leftRoomPresence(c, left);
        }
        publisher.send(connectionId, "left-room", Map.of("roomId", left == null ? "" : left));
    }

    /**
     * Tells the other users' connections joined to the room. A {@code typing: true} carries {@code expiresAt}:
     * receivers drop it then unless a newer one came, so a client that vanished mid-sentence stops typing by itself.
     * A stop is told only once for a start this connection told (a stop of nothing would be a free fan-out).
     */
    public void typing(String connectionId, String roomId, boolean isTyping) {
        Connection c = active(connectionId);
        // only starts count: a stop always gets through, so a limited client never leaves a stale indicator
        if (isTyping) {
            rateLimits.check(c.tenantId(), c.userId(), RateLimitedAction.TYPING);
        }
        if (roomId == null || roomId.isBlank()) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "roomId is required");
        }
        if (!isTyping && !connections.stopTyping(connectionId, roomId)) {
            return;
        }
        Room room = rooms.find(c.tenantId(), roomId).filter(r -> r.hasMember(c.userId()))
                .orElseThrow(() -> new ApiException(ErrorCode.ROOM_NOT_FOUND, "Room not found"));
        if (isTyping) {
            connections.startTyping(connectionId, roomId);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("roomId", roomId);
        data.put("userId", c.userId());
        data.put("isTyping", isTyping);
        data.put("expiresAt", isTyping ? Times.format(Instant.now().plus(TYPING_EXPIRY)) : null);
        publisher.publishTo(joinedTo(c.tenantId(), room).stream().filter(o -> !o.userId().equals(c.userId())).toList(),
                "typing", data);
    }

    public void ping(String connectionId) {
        active(connectionId);
        publisher.send(connectionId, "pong", Map.of("serverTime", Times.now()));
    }

    /** Tells the client what went wrong with its frame; the socket stays open. */
    public void error(String connectionId, ErrorCode code, String message) {
        publisher.send(connectionId, "error", Map.of("code", code.code(), "message", message));
    }

    /**
     * Answers a refused frame with its {@code error} frame. A socket whose connection is unknown (forgotten after a
     * 410, or expired) could never receive an event again: it is closed after the frame, so the client reconnects
     * instead of staying open and deaf.
     */
    public void refuse(String connectionId, ApiException e) {
        error(connectionId, e.errorCode(), e.getMessage());
        if (e.status() == 401) {
            publisher.close(connectionId);
        }
    }

    /**
     * A frame within this long of the last extension leaves the stored expiry alone: it is then still at least
     * {@code IDLE_LIFETIME - TOUCH_INTERVAL} (10 minutes, API Gateway's idle timeout) after the frame, so presence
     * stays right, and a burst of typing frames costs one write instead of one each.
     */
    static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);

    /** The connection behind a client frame, whose life the frame extends. */
    private Connection active(String connectionId) {
        Connection c = connections.find(connectionId)
                .orElseThrow(() -> ApiException.unauthorized("Unknown connection: reconnect"));
        long extended = expiry(Instant.parse(c.connectedAt()));
        if (extended - c.expiresAtEpochSeconds() >= TOUCH_INTERVAL.toSeconds()) {
            connections.touch(connectionId, extended);
        }
        return c;
    }

    private static long expiry(Instant connectedAt) {
        Instant idle = Instant.now().plus(IDLE_LIFETIME);
        Instant cap = connectedAt.plus(Connection.MAX_LIFETIME);
        return (idle.isBefore(cap) ? idle : cap).getEpochSecond();
    }

    /** The connections of the room's members that have joined it. */
    private List<Connection> joinedTo(String tenantId, Room room) {
        return connections.ofUsers(tenantId, room.memberIds()).stream()
                .filter(o -> room.id().equals(o.roomId())).toList();
    }

    private void leftRoomPresence(Connection c, String roomId) {
        rooms.find(c.tenantId(), roomId).ifPresent(room -> {
            List<Connection> joined = joinedTo(c.tenantId(), room).stream()
                    .filter(o -> !o.connectionId().equals(c.connectionId())).toList();
            if (joined.stream().noneMatch(o -> o.userId().equals(c.userId()))) {
                publisher.publishTo(joined, "presence", presence(roomId, c.userId(), false));
            }
        });
    }

    private static Map<String, Object> presence(String roomId, String userId, boolean online) {
        Map<String, Object> data = new LinkedHashMap<>();
        if (roomId != null) {
            data.put("roomId", roomId);
        }
        data.put("userId", userId);
        data.put("online", online);
        return data;
    }

    /** Unread messages over all the user's rooms: each room's lastSeq less the user's read position in it. */
    public long unreadTotal(String tenantId, String userId) {
        long total = 0;
        // one page holding every room: each page of a room list reads all of the user's rooms anyway
        for (RoomRepository.Listed listed : rooms.roomsOf(tenantId, userId, null, Integer.MAX_VALUE).items()) {
            total += Math.max(0, listed.room().lastSeq() - listed.member().readIn(listed.room()).lastReadSeq());
        }
        return total;
    }

}
