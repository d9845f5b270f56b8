package dev.sendsar.local;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What arrives at the edge that no contract-abiding client sends: each gets a 4xx (or an {@code error} frame) in
 * the §2 envelope, and the seeds' own requests (a JSON string body sent as text/plain, a page on another origin)
 * work as written.
 */
class EdgeInputTest {
    private final LocalStack stack = TestStack.get();
    private static final String LONG_ID = "r".repeat(3000);

    private static void assertEnvelope(int status, String code, RawHttp.Response response) {
        assertEquals(status, response.status(), response.body());
        JsonNode body = response.json();
        assertEquals(status, body.path("statusCode").asInt(), response.body());
        assertEquals(code, body.path("code").asText(), response.body());
        assertTrue(body.path("message").isTextual() && body.path("error").isTextual(), response.body());
    }

    @Test
    void badEscapesNulsAndOversizedIds_are400InTheEnvelope() throws Exception {
        Api server = Api.newTenant(stack);
        Map<String, String> key = Map.of("x-api-key", server.credential());
        assertEnvelope(400, "malformed_request", RawHttp.exchange(stack.port(), "GET", "/v1/chat/rooms/%zz", key, null));
        assertEnvelope(400, "malformed_request", RawHttp.exchange(stack.port(), "GET", "/v1/chat/rooms?participantId=%z", key, null));
        assertEnvelope(400, "validation_failed", RawHttp.exchange(stack.port(), "GET", "/v1/chat/rooms/%00", key, null));
        assertEnvelope(400, "validation_failed", RawHttp.exchange(stack.port(), "GET", "/v1/users/a%00b", key, null));
        assertEnvelope(400, "validation_failed", RawHttp.exchange(stack.port(), "DELETE", "/v1/users/me/device-tokens/%00",
                Map.of("Authorization", "Bearer " + server.tokenFor("alice")), null));
        assertEnvelope(400, "validation_failed", RawHttp.exchange(stack.port(), "POST", "/v1/admin/tenants/%00/api-keys",
                Map.of("x-admin-key", stack.adminKey()), null));

        server.tokenFor("alice");
        String room = server.room("alice");
        for (String path : new String[]{"/chat/rooms/" + LONG_ID, "/chat/rooms/" + room + "/messages/" + LONG_ID + "/pin",
                "/users/" + LONG_ID, "/chat/uploads/" + LONG_ID + "/access", "/chat/rooms?participantId=" + LONG_ID,
                "/chat/rooms/" + room + "/messages?viewerId=" + LONG_ID}) {
            Api.Response response = path.endsWith("/pin") ? server.post(path, "{\"userId\":\"alice\"}") : server.get(path);
            assertEquals(400, response.status(), path + " " + response.raw().body());
            assertEquals("validation_failed", response.code(), path);
        }
        Api.Response longSender = server.post("/chat/rooms/" + room + "/messages",
                "{\"senderId\":\"" + LONG_ID + "\",\"parts\":[{\"type\":\"text\",\"text\":\"x\"}]}");
        assertTrue(longSender.status() >= 400 && longSender.status() < 500, longSender.raw().body());
        assertEquals(0, server.get("/chat/rooms/" + room).body().path("lastSeq").asLong());
    }

    @Test
    void emptyCursors_are400InvalidCursor() throws Exception {
        Api server = Api.newTenant(stack);
        Map<String, String> key = Map.of("x-api-key", server.credential());
        assertEnvelope(400, "invalid_cursor", RawHttp.exchange(stack.port(), "GET", "/v1/tenant/webhook/deliveries?cursor=", key, null));
    }

    @Test
    void idsInBodiesTooLongForStorage_are4xxAndChangeNothing() {
        Api server = Api.newTenant(stack);
        server.tokenFor("alice");
        server.tokenFor("bob");
        String room = server.room("alice", "bob");
        String message = server.post("/chat/rooms/" + room + "/messages", "{\"senderId\":\"alice\",\"parts\":[{\"type\":\"text\",\"text\":\"x\"}]}")
                .body().path("id").asText();
        String id = "\"" + LONG_ID + "\"";
        String r = "/chat/rooms/" + room;
        Map<String, String> bodies = new java.util.LinkedHashMap<>();
        bodies.put("/users", "{\"id\":" + id + "}");
        bodies.put("/auth/token", "{\"userId\":" + id + "}");
        bodies.put("/chat/rooms", "{\"name\":\"n\",\"participants\":[{\"id\":" + id + "}]}");
        bodies.put("/chat/rooms#externalId", "{\"name\":\"n\",\"externalId\":" + id + ",\"participants\":[{\"id\":\"alice\"}]}");
        bodies.put(r + "/participants", "{\"userId\":" + id + "}");
        bodies.put(r + "/read", "{\"userId\":\"alice\",\"lastReadMessageId\":" + id + "}");
        bodies.put(r + "/read#user", "{\"userId\":" + id + ",\"lastReadMessageId\":\"" + message + "\"}");
        bodies.put(r + "/delivery", "{\"userId\":\"alice\",\"lastDeliveredMessageId\":" + id + "}");
        bodies.put(r + "/messages", "{\"senderId\":\"alice\",\"clientMessageId\":" + id + ",\"parts\":[{\"type\":\"text\",\"text\":\"x\"}]}");
        bodies.put(r + "/messages#parent", "{\"senderId\":\"alice\",\"parentMessageId\":" + id + ",\"parts\":[{\"type\":\"text\",\"text\":\"x\"}]}");
        bodies.put(r + "/messages#upload", "{\"senderId\":\"alice\",\"parts\":[{\"type\":\"file\",\"uploadId\":" + id
                + ",\"mediaType\":\"image/png\",\"filename\":\"a.png\"}]}");
        bodies.put(r + "/messages/" + message + "/reactions", "{\"userId\":\"alice\",\"emoji\":" + id + "}");
        bodies.put(r + "/messages/" + message + "/reactions#user", "{\"userId\":" + id + ",\"emoji\":\"x\"}");
        bodies.put(r + "/messages/" + message + "/pin", "{\"userId\":" + id + "}");
        bodies.put(r + "/messages/" + message + "/forward", "{\"senderId\":\"alice\",\"targetRoomIds\":[" + id + "]}");
        bodies.put("/chat/uploads/presign", "{\"userId\":\"alice\",\"filename\":\"a.png\",\"mediaType\":\"image/png\",\"sizeBytes\":1,\"roomId\":" + id + "}");
        bodies.put("/chat/uploads/access", "{\"userId\":\"alice\",\"uploadIds\":[" + id + "]}");
        bodies.put("/users/alice/device-tokens", "{\"provider\":\"fcm\",\"platform\":\"android\",\"token\":\"" + "t".repeat(5000) + "\"}");
        for (Map.Entry<String, String> call : bodies.entrySet()) {
            Api.Response response = server.post(call.getKey().replaceAll("#.*", ""), call.getValue());
            assertTrue(response.status() >= 400 && response.status() < 500, call.getKey() + " " + response.status() + " " + response.raw().body());
        }
        Api.Response patched = server.send("PATCH", r + "/participants/bob", "{\"role\":" + id + "}");
        assertEquals(400, patched.status(), patched.raw().body());
        assertEquals(1, server.get(r).body().path("lastSeq").asLong());
        assertEquals(400, Api.admin(stack).post("/admin/tenants", "{\"name\":\"n\",\"id\":" + id + "}").status());
    }

    @Test
    void aHugeRoomIdInAFrame_isAnErrorFrameAndTheSocketStaysUsable() {
        Api server = Api.newTenant(stack);
        try (Socket socket = Socket.open(stack, server.tokenFor("alice"))) {
            socket.hello();
            socket.send("{\"action\":\"join-room\",\"roomId\":\"" + "x".repeat(3000) + "\"}");
            JsonNode error = socket.await("error").path("data");
            assertEquals("validation_failed", error.path("code").asText());
            socket.send("{\"action\":\"ping\"}");
            socket.await("pong");
        }
    }

    @Test
    void oversizedBodiesAndRefusedUpgrades_carryTheEnvelope() throws Exception {
        Api server = Api.newTenant(stack);
        RawHttp.Response huge = RawHttp.exchange(stack.port(), "POST", "/v1/users",
                Map.of("x-api-key", server.credential(), "Content-Type", "application/json"),
                new byte[LocalGateway.MAX_HTTP_BODY_BYTES + 1], 30_000);
        assertEnvelope(413, "payload_too_large", huge);

        Map<String, String> upgrade = Map.of("Connection", "Upgrade", "Upgrade", "websocket", "Sec-WebSocket-Version", "13",
                "Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
        assertEnvelope(401, "unauthorized", RawHttp.exchange(stack.port(), "GET", "/ws", upgrade, null));
        assertEnvelope(401, "unauthorized", RawHttp.exchange(stack.port(), "GET", "/ws?token=not.a.jwt", upgrade, null));
    }

    @Test
    void aJsonBodyDeclaredAsTextOrNotDeclared_isReadAsJson() throws Exception {
        Api server = Api.newTenant(stack);
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> asText = http.send(HttpRequest.newBuilder(URI.create(stack.apiUrl() + "/users"))
                .header("x-api-key", server.credential()).header("Content-Type", "text/plain;charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"alice\",\"username\":\"Alice\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(asText.statusCode() == 200 || asText.statusCode() == 201, asText.body());
        RawHttp.Response undeclared = RawHttp.exchange(stack.port(), "POST", "/v1/auth/token",
                Map.of("x-api-key", server.credential()), "{\"userId\":\"alice\"}");
        assertEquals(200, undeclared.status(), undeclared.body());
        assertTrue(undeclared.json().path("token").asText().contains("."));
        assertEquals("Alice", server.get("/users/alice").body().path("username").asText());
    }

    @Test
    void restAnswersCorsForAPageOnAnotherOrigin() throws Exception {
        Api server = Api.newTenant(stack);
        RawHttp.Response preflight = RawHttp.exchange(stack.port(), "OPTIONS", "/v1/chat/rooms", Map.of(
                "Origin", "http://localhost:5173", "Access-Control-Request-Method", "POST",
                "Access-Control-Request-Headers", "authorization,content-type,x-sendsar-connection-id"), null);
        assertEquals(204, preflight.status());
        assertEquals("*", preflight.headers().get("access-control-allow-origin"));
        assertTrue(preflight.headers().get("access-control-allow-methods").contains("POST"));
        List<String> allowed = List.of(preflight.headers().get("access-control-allow-headers").split(","));
        assertTrue(allowed.containsAll(List.of("authorization", "content-type", "x-sendsar-connection-id")), allowed.toString());
        RawHttp.Response rooms = RawHttp.exchange(stack.port(), "GET", "/v1/chat/rooms?participantId=alice",
                Map.of("Origin", "http://localhost:5173", "x-api-key", server.credential()), null);
        assertEquals(200, rooms.status(), rooms.body());
        assertEquals("*", rooms.headers().get("access-control-allow-origin"));
    }
}
