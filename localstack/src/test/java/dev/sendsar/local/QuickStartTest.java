package dev.sendsar.local;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The quick start of the product docs, played over real HTTP and a real WebSocket against the dev tenant. */
class QuickStartTest {
    private final LocalStack stack = TestStack.get();

    @Test
    void quickStart_deliversAMessageFromOneUserToTheOther() {
        Api server = Api.withKey(stack, stack.apiKey());

        Api.Response alice = server.post("/users", "{ \"id\": \"user_abc123\", \"username\": \"Alice\" }");
        assertTrue(alice.status() == 201 || alice.status() == 200, alice.raw().body());
        assertEquals("Alice", alice.body().path("username").asText());

        Api.Response token = server.post("/auth/token", "{ \"userId\": \"user_abc123\", \"expiresIn\": 3600 }");
        assertEquals(200, token.status(), token.raw().body());
        assertEquals("user_abc123", token.body().path("userId").asText());
        assertEquals(stack.wsUrl(), token.body().path("wsUrl").asText());
        assertTrue(token.body().path("expiresAt").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));

        Api.Response room = server.post("/chat/rooms", """
                {
                  "name": "Quick start",
                  "participants": [
                    { "id": "user_abc123", "username": "Alice" },
                    { "id": "user_peer_456", "username": "Bob" }
                  ]
                }""");
        assertEquals(201, room.status(), room.raw().body());
        String roomId = room.body().path("id").asText();
        assertTrue(roomId.matches("[0-9a-f-]{36}"), roomId);
        assertEquals(2, room.body().path("participants").size());

        try (Socket socket = Socket.open(stack, token.body().path("token").asText())) {
            JsonNode ready = socket.hello();
            assertEquals("user_abc123", ready.path("data").path("userId").asText());
            assertEquals(LocalStack.DEV_TENANT, ready.path("data").path("tenantId").asText());
            socket.send("{\"action\":\"join-room\",\"roomId\":\"" + roomId + "\"}").await("joined-room");

            Api bob = Api.withToken(stack, server.tokenFor("user_peer_456"));
            Api.Response sent = bob.post("/chat/rooms/" + roomId + "/messages",
                    "{\"parts\":[{\"type\":\"text\",\"text\":\"Hello from quick start\"}]}");
            assertEquals(201, sent.status(), sent.raw().body());
            assertEquals(1, sent.body().path("seq").asLong());

            JsonNode received = socket.await("new-message").path("data");
            assertEquals(sent.body().path("id").asText(), received.path("id").asText());
            assertEquals(1, received.path("seq").asLong());
            assertEquals("user_peer_456", received.path("senderId").asText());
            assertEquals("Hello from quick start", received.path("parts").path(0).path("text").asText());

            Api.Response viaKey = server.post("/chat/rooms/" + roomId + "/messages",
                    "{\"senderId\":\"user_peer_456\",\"parts\":[{\"type\":\"text\",\"text\":\"second\"}]}");
            assertEquals(2, viaKey.body().path("seq").asLong());
            assertEquals(2, socket.await("new-message").path("data").path("seq").asLong());
        }

        Api.Response history = Api.withToken(stack, token.body().path("token").asText()).get("/chat/rooms/" + roomId + "/messages");
        assertEquals(200, history.status());
        assertEquals(2, history.body().path("messages").get(0).path("seq").asLong());
        assertEquals(1, history.body().path("messages").get(1).path("seq").asLong());
    }
}
