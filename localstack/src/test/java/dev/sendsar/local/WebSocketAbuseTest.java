package dev.sendsar.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sendsar.ports.ConnectionRepository;
import dev.sendsar.service.RealtimeService;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One client cannot make the server flood the others, hold unbounded sockets, or be left open and deaf. */
class WebSocketAbuseTest {
    private final LocalStack stack = TestStack.get();

    private void awaitIdle() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int quiet = 0;
        while (quiet < 20 && System.nanoTime() < deadline) {
            quiet = stack.idle() ? quiet + 1 : 0;
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Test
    void aSocketLoopingHelloAndTypingStops_reachesTheOthersABoundedNumberOfTimes() {
        Api server = Api.newTenant(stack);
        List<String> listeners = List.of("l1", "l2", "l3", "l4");
        List<String> everyone = new ArrayList<>(listeners);
        everyone.add("mallory");
        String room = server.room(everyone.toArray(String[]::new));
        List<Socket> sockets = new ArrayList<>();
        try (Socket mallory = Socket.open(stack, server.tokenFor("mallory"))) {
            for (String user : listeners) {
                Socket socket = Socket.open(stack, server.tokenFor(user));
                sockets.add(socket);
                socket.hello();
                socket.send("{\"action\":\"join-room\",\"roomId\":\"" + room + "\"}").await("joined-room");
            }
            mallory.hello();
            mallory.send("{\"action\":\"join-room\",\"roomId\":\"" + room + "\"}").await("joined-room");
            awaitIdle();
            for (Socket socket : sockets) {
                socket.drain(50);
            }

            for (int i = 0; i < 200; i++) {
                mallory.send("{\"action\":\"hello\"}");
                mallory.send("{\"action\":\"typing\",\"roomId\":\"" + room + "\",\"isTyping\":false}");
            }
            awaitIdle();
            int total = 0;
            for (Socket socket : sockets) {
                List<JsonNode> got = socket.drain(200);
                total += got.size();
                assertTrue(got.isEmpty(), "a listener got " + got.size() + " frames: " + got.stream().limit(3).toList());
            }
            assertEquals(0, total);
            List<JsonNode> own = mallory.drain(200);
            assertTrue(own.stream().anyMatch(f -> "rate_limited".equals(f.path("data").path("code").asText())), "mallory was told");
            assertTrue(own.stream().filter(f -> "ready".equals(f.path("event").asText())).count() <= 25,
                    "frames over the budget were dropped");
        } finally {
            sockets.forEach(Socket::close);
        }
    }

    @Test
    void aUserHasAtMostTenSockets_theNextIsRefusedWithTheEnvelope() throws Exception {
        Api server = Api.newTenant(stack);
        String token = server.tokenFor("alice");
        List<Socket> open = new ArrayList<>();
        try {
            for (int i = 0; i < RealtimeService.MAX_CONNECTIONS_PER_USER; i++) {
                open.add(Socket.open(stack, token));
            }
            RawHttp.Response refused = RawHttp.exchange(stack.port(), "GET", "/ws?token=" + token, Map.of("Connection", "Upgrade",
                    "Upgrade", "websocket", "Sec-WebSocket-Version", "13", "Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="), null);
            assertEquals(429, refused.status(), refused.body());
            assertEquals("too_many_connections", refused.json().path("code").asText());

            open.remove(0).close();
            awaitIdle();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            int status = 0;
            while (status != 101 && System.nanoTime() < deadline) {
                status = Socket.handshakeStatus(stack, token);
            }
            assertEquals(101, status, "a freed slot can be used again");
        } finally {
            open.forEach(Socket::close);
        }
    }

    @Test
    void aSocketWhoseConnectionWasForgotten_isClosedNotLeftDeaf() throws Exception {
        Api server = Api.newTenant(stack);
        try (Socket socket = Socket.open(stack, server.tokenFor("alice"))) {
            String connectionId = socket.hello().path("data").path("connectionId").asText();
            stack.context().getBean(ConnectionRepository.class).delete(connectionId);
            socket.send("{\"action\":\"ping\"}");
            assertEquals("unauthorized", socket.await("error").path("data").path("code").asText());
            assertEquals(1000, socket.closed.get(10, TimeUnit.SECONDS), "closed, so the client reconnects");
        }
    }
}
