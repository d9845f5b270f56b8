package dev.sendsar.local;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** chat.rateLimits over real HTTP and WebSocket: 429 with Retry-After, and an error frame. */
class RateLimitTest {
    private final LocalStack stack = TestStack.get();

    @Test
    void sendingPastTheLimit_is429WithRetryAfter_perUser() {
        Api server = Api.newTenant(stack);
        assertEquals(200, server.send("PATCH", "/tenant/settings", "{\"chat\":{\"rateLimits\":{\"sendMessage\":3}}}").status());
        Api alice = Api.withToken(stack, server.tokenFor("alice"));
        Api bob = Api.withToken(stack, server.tokenFor("bob"));
        String room = server.room("alice", "bob");

        Api.Response limited = null;
        int sent = 0;
        // the window may roll over between sends; four tries per window always reach the fourth send of one window
        for (int i = 0; i < 8 && limited == null; i++) {
            Api.Response r = alice.post("/chat/rooms/" + room + "/messages", Api.text("m" + i));
            if (r.status() == 429) {
                limited = r;
            } else {
                assertEquals(201, r.status(), r.raw().body());
                sent++;
            }
        }
        assertTrue(limited != null, "no 429 after " + sent + " sends");
        assertEquals("rate_limited", limited.code());
        long retryAfter = Long.parseLong(limited.raw().headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
        assertEquals(201, bob.post("/chat/rooms/" + room + "/messages", Api.text("bob is not limited")).status());
        assertEquals(201, server.post("/chat/rooms/" + room + "/messages",
                "{\"senderId\":\"alice\",\"parts\":[{\"type\":\"text\",\"text\":\"the server is not limited\"}]}").status());
    }

    @Test
    void joiningRoomsPastTheLimit_answersAnErrorFrame_andTheSocketStaysOpen() {
        Api server = Api.newTenant(stack);
        assertEquals(200, server.send("PATCH", "/tenant/settings", "{\"chat\":{\"rateLimits\":{\"joinRoom\":2}}}").status());
        String token = server.tokenFor("alice");
        server.tokenFor("bob");
        String room = server.room("alice", "bob");
        try (Socket socket = Socket.open(stack, token)) {
            socket.hello();
            JsonNode error = null;
            for (int i = 0; i < 6 && error == null; i++) {
                socket.send("{\"action\":\"join-room\",\"roomId\":\"" + room + "\"}");
                JsonNode reply = socket.await(f -> f.path("event").asText().matches("joined-room|error"), "join reply");
                if ("error".equals(reply.path("event").asText())) {
                    error = reply;
                }
            }
            assertTrue(error != null, "no error frame");
            assertEquals("rate_limited", error.path("data").path("code").asText());
            socket.send("{\"action\":\"ping\"}");
            socket.await("pong");
        }
    }

    @Test
    void typingPastTheLimit_answersAnErrorFrame_butStoppingAlwaysGetsThrough() {
        Api server = Api.newTenant(stack);
        assertEquals(200, server.send("PATCH", "/tenant/settings", "{\"chat\":{\"rateLimits\":{\"typing\":2}}}").status());
        String token = server.tokenFor("alice");
        String bobToken = server.tokenFor("bob");
        String room = server.room("alice", "bob");
        try (Socket alice = Socket.open(stack, token); Socket bob = Socket.open(stack, bobToken)) {
            alice.hello();
            bob.hello();
            bob.send("{\"action\":\"join-room\",\"roomId\":\"" + room + "\"}");
            bob.await("joined-room");
            JsonNode error = null;
            for (int i = 0; i < 6 && error == null; i++) {
                // a typing start has no ack: an error frame is the only possible reply
                alice.send("{\"action\":\"typing\",\"roomId\":\"" + room + "\",\"isTyping\":true}");
                error = alice.drain(300).stream().filter(f -> "error".equals(f.path("event").asText())).findFirst().orElse(null);
            }
            assertTrue(error != null, "no error frame");
            assertEquals("rate_limited", error.path("data").path("code").asText());
            alice.send("{\"action\":\"typing\",\"roomId\":\"" + room + "\",\"isTyping\":false}");
            bob.await(f -> "typing".equals(f.path("event").asText()) && !f.path("data").path("isTyping").asBoolean(), "typing stop");
        }
    }
}
