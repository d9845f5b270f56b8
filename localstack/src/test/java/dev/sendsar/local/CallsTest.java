package dev.sendsar.local;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.util.JsonFormat;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.SignedJWT;
import dev.sendsar.calls.CallService;
import dev.sendsar.calls.RingTimeoutWorker;
import io.livekit.server.AccessToken;
import livekit.LivekitModels;
import livekit.LivekitWebhook;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Calls end to end: REST signaling, call-* frames over real WebSockets, the ring timeout through ElasticMQ and the
 * worker, history messages, LiveKit tokens, room deletion (a fake LiveKit room service) and LiveKit's webhooks.
 */
class CallsTest {
    private final LocalStack stack = TestStack.get();
    private final FakeLiveKit liveKit = TestStack.liveKit();

    /** Two users of a new tenant with a 1:1 room, each with an open socket. */
    private record Pair(Api server, Api alice, Api bob, Socket aliceSocket, Socket bobSocket, String room, String tenantId)
            implements AutoCloseable {
        @Override
        public void close() {
            aliceSocket.close();
            bobSocket.close();
        }
    }

    private Pair pair() {
        Api server = Api.newTenant(stack);
        String aliceToken = server.tokenFor("alice");
        String bobToken = server.tokenFor("bob");
        String room = server.room("alice", "bob");
        Socket a = Socket.open(stack, aliceToken);
        String tenantId = a.hello().path("data").path("tenantId").asText();
        Socket b = Socket.open(stack, bobToken);
        b.hello();
        return new Pair(server, Api.withToken(stack, aliceToken), Api.withToken(stack, bobToken), a, b, room, tenantId);
    }

    private static String calls(String room) {
        return "/chat/rooms/" + room + "/calls";
    }

    private static JsonNode ok(Api.Response response) {
        assertEquals(200, response.status(), response.raw().body());
        return response.body();
    }

    private static Map.Entry<String, String> frame(JsonNode frame) {
        return Map.entry(frame.path("event").asText(), frame.path("data").path("callId").asText());
    }

    private static JsonNode awaitCallFrame(Socket socket, String event, String callId) {
        return socket.await(f -> event.equals(f.path("event").asText()) && callId.equals(f.path("data").path("callId").asText()),
                event + " of " + callId, 30);
    }

    private static JsonNode awaitHistoryFrame(Socket socket, String callId) {
        return socket.await(f -> "new-message".equals(f.path("event").asText())
                && f.path("data").path("parts").findValues("callId").stream().anyMatch(id -> callId.equals(id.asText())),
                "history message of " + callId, 30);
    }

    /** The data-call parts of the room's history for this call. */
    private static List<JsonNode> history(Api server, String room, String callId) {
        JsonNode messages = ok(server.get("/chat/rooms/" + room + "/messages?limit=100")).path("messages");
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode message : messages) {
            for (JsonNode part : message.path("parts")) {
                if ("data-call".equals(part.path("type").asText()) && callId.equals(part.path("data").path("callId").asText())) {
                    found.add(part.path("data"));
                }
            }
        }
        return found;
    }

    /** A webhook receiver on loopback, registered for the tenant's call events. */
    private static Receiver callHooks(Api server) throws Exception {
        Receiver receiver = new Receiver(r -> 200);
        Api.Response put = server.send("PUT", "/tenant/webhook", "{\"url\":\"" + receiver.url()
                + "\",\"enabled\":true,\"events\":[\"call.started\",\"call.ended\",\"call.missed\"]}");
        assertEquals(200, put.status(), put.raw().body());
        return receiver;
    }

    /** The call events the receiver got for this call, as type -> body, waiting until {@code types} all arrived. */
    private static Map<String, JsonNode> callEvents(Receiver receiver, String callId, List<String> types) {
        Map<String, JsonNode> got = new java.util.concurrent.ConcurrentHashMap<>();
        eventually(() -> {
            for (Receiver.Request request : List.copyOf(receiver.requests)) {
                try {
                    JsonNode body = Api.JSON.readTree(request.body());
                    if (callId.equals(body.path("data").path("id").asText())) {
                        JsonNode earlier = got.putIfAbsent(body.path("type").asText(), body);
                        assertTrue(earlier == null || earlier.path("id").equals(body.path("id")), "one event per type");
                    }
                } catch (java.io.IOException e) {
                    throw new AssertionError(e);
                }
            }
            return got.keySet().containsAll(types);
        }, "webhooks " + types + " of call " + callId);
        return got;
    }

    private static void eventually(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Not within 30 s: " + what);
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(20); // polling interval of the wait, not a wait for time to pass
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void oneToOne_accept_thenHangUp_isOneCompletedCallWithFramesHistoryAndRoomDeletion() throws Exception {
        try (Pair p = pair(); Receiver hooks = callHooks(p.server())) {
            assertEquals("call_not_found", p.alice().get(calls(p.room()) + "/active").code());
            JsonNode started = ok(p.alice().post(calls(p.room()), "{\"type\":\"audio\"}"));
            JsonNode call = started.path("call");
            String callId = call.path("id").asText();
            assertEquals("ringing", call.path("status").asText());
            assertEquals("audio", call.path("type").asText());
            assertEquals("wss://media.example.test", started.path("livekit").path("url").asText());
            assertEquals(45, started.path("ringTimeoutSeconds").asInt());

            JsonNode invite = awaitCallFrame(p.bobSocket(), "call-invite", callId).path("data");
            assertEquals(p.room(), invite.path("roomId").asText());
            assertEquals("alice", invite.path("createdByUserId").asText());
            assertEquals("audio", invite.path("type").asText());
            assertEquals(callId, ok(p.bob().get(calls(p.room()) + "/active")).path("id").asText());

            JsonNode accepted = ok(p.bob().post(calls(p.room()) + "/" + callId + "/accept", ""));
            assertEquals("active", accepted.path("call").path("status").asText());
            assertTrue(accepted.path("livekit").path("token").asText().length() > 20);
            assertEquals("bob", awaitCallFrame(p.aliceSocket(), "call-accepted", callId).path("data").path("userId").asText());
            // a second accept (another device of bob) changes nothing
            assertEquals("active", ok(p.bob().post(calls(p.room()) + "/" + callId + "/accept", "")).path("call").path("status").asText());

            JsonNode ended = ok(p.alice().post(calls(p.room()) + "/" + callId + "/end", "{}"));
            assertEquals("ended", ended.path("status").asText());
            assertEquals("hangup", ended.path("endReason").asText());
            assertEquals("hangup", awaitCallFrame(p.bobSocket(), "call-ended", callId).path("data").path("reason").asText());
            awaitCallFrame(p.aliceSocket(), "call-ended", callId);
            assertEquals(404, p.alice().get(calls(p.room()) + "/active").status());
            // ending again is a no-op, and writes no second record
            assertEquals("ended", ok(p.bob().post(calls(p.room()) + "/" + callId + "/end", "{}")).path("status").asText());

            List<JsonNode> records = history(p.server(), p.room(), callId);
            assertEquals(1, records.size(), records.toString());
            assertEquals("completed", records.get(0).path("outcome").asText());
            assertEquals("audio", records.get(0).path("callType").asText());
            assertEquals("alice", records.get(0).path("initiatedByUserId").asText());
            assertTrue(records.get(0).path("durationSeconds").isNumber());
            String mediaRoom = call.path("livekitRoomName").asText();
            eventually(() -> liveKit.deletedRooms().contains(mediaRoom), "LiveKit room " + mediaRoom + " deleted");

            Map<String, JsonNode> events = callEvents(hooks, callId, List.of("call.started", "call.ended"));
            assertEquals("ringing", events.get("call.started").path("data").path("status").asText());
            assertEquals("ended", events.get("call.ended").path("data").path("status").asText());
            assertEquals(p.room(), events.get("call.ended").path("roomId").asText());
            assertEquals("alice", events.get("call.ended").path("senderId").asText());
            assertTrue(!events.containsKey("call.missed"));
        }
    }

    @Test
    void oneToOne_decline_endsTheCallAsDeclinedOnce() {
        try (Pair p = pair()) {
            String callId = ok(p.alice().post(calls(p.room()), "{}")).path("call").path("id").asText();
            awaitCallFrame(p.bobSocket(), "call-invite", callId);
            JsonNode declined = ok(p.bob().post(calls(p.room()) + "/" + callId + "/decline", ""));
            assertEquals("declined", declined.path("status").asText());
            assertEquals("bob", awaitCallFrame(p.aliceSocket(), "call-declined", callId).path("data").path("userId").asText());
            assertEquals("declined", ok(p.alice().post(calls(p.room()) + "/" + callId + "/end", "{\"reason\":\"cancelled\"}"))
                    .path("status").asText());
            assertEquals("call_ended", p.bob().post(calls(p.room()) + "/" + callId + "/accept", "").code());
            List<JsonNode> records = history(p.server(), p.room(), callId);
            assertEquals(1, records.size());
            assertEquals("declined", records.get(0).path("outcome").asText());
            assertTrue(records.get(0).path("durationSeconds").isMissingNode());
        }
    }

    @Test
    void oneToOne_cancel_whileRinging() {
        try (Pair p = pair()) {
            String callId = ok(p.alice().post(calls(p.room()), "{\"type\":\"video\"}")).path("call").path("id").asText();
            assertEquals("validation_failed", p.alice().post(calls(p.room()) + "/" + callId + "/end", "{\"reason\":\"bored\"}").code());
            JsonNode ended = ok(p.alice().post(calls(p.room()) + "/" + callId + "/end", "{\"reason\":\"cancelled\"}"));
            assertEquals("ended", ended.path("status").asText());
            assertEquals("cancelled", ended.path("endReason").asText());
            assertEquals("cancelled", awaitCallFrame(p.bobSocket(), "call-ended", callId).path("data").path("reason").asText());
            List<JsonNode> records = history(p.server(), p.room(), callId);
            assertEquals(1, records.size());
            assertEquals("cancelled", records.get(0).path("outcome").asText());
            assertEquals("video", records.get(0).path("callType").asText());
        }
    }

    @Test
    void oneToOne_ringTimeout_marksTheCallMissedThroughTheQueue() throws Exception {
        try (Pair p = pair(); Receiver hooks = callHooks(p.server())) {
            assertEquals(200, p.server().send("PATCH", "/tenant/settings", "{\"calls\":{\"ringTimeoutSeconds\":15}}").status());
            JsonNode started = ok(p.alice().post(calls(p.room()), "{}"));
            assertEquals(15, started.path("ringTimeoutSeconds").asInt());
            String callId = started.path("call").path("id").asText();
            awaitCallFrame(p.bobSocket(), "call-invite", callId);
            // ElasticMQ holds the message for 15 s; the worker then finds the call still ringing
            assertEquals("no_answer", awaitCallFrame(p.bobSocket(), "call-ended", callId).path("data").path("reason").asText());
            assertEquals("no_answer", awaitCallFrame(p.aliceSocket(), "call-ended", callId).path("data").path("reason").asText());
            assertEquals("call_ended", p.bob().post(calls(p.room()) + "/" + callId + "/accept", "").code());
            // the worker tells the members before it writes the history message, which then arrives as a message
            awaitHistoryFrame(p.bobSocket(), callId);
            List<JsonNode> records = history(p.server(), p.room(), callId);
            assertEquals(1, records.size());
            assertEquals("missed", records.get(0).path("outcome").asText());
            // a redelivered timer changes nothing
            timer(p, callId);
            assertEquals(1, history(p.server(), p.room(), callId).size());
            Map<String, JsonNode> events = callEvents(hooks, callId, List.of("call.started", "call.missed"));
            assertEquals("missed", events.get("call.missed").path("data").path("status").asText());
            assertTrue(!events.containsKey("call.ended"));
        }
    }

    /** Delivers the call's ring-timeout message to the worker now, as SQS would (again). */
    private void timer(Pair p, String callId) {
        String tenantId = p.tenantId();
        SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
        message.setMessageId(java.util.UUID.randomUUID().toString());
        message.setBody("{\"tenantId\":\"" + tenantId + "\",\"roomId\":\"" + p.room() + "\",\"callId\":\"" + callId + "\"}");
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(message));
        var response = new RingTimeoutWorker(stack.context()).execute(event);
        assertEquals(List.of(), response.getBatchItemFailures());
    }

    @Test
    void acceptRacingTheRingTimeout_alwaysHasExactlyOneOutcome() throws Exception {
        try (Pair p = pair()) {
            for (int i = 0; i < 8; i++) {
                String callId = ok(p.alice().post(calls(p.room()), "{}")).path("call").path("id").asText();
                CompletableFuture<Api.Response> accept = CompletableFuture.supplyAsync(
                        () -> p.bob().post(calls(p.room()) + "/" + callId + "/accept", ""));
                timer(p, callId);
                Api.Response answer = accept.join();
                List<JsonNode> records = history(p.server(), p.room(), callId);
                if (answer.status() == 200) {
                    // the accept won: the timer found the call answered and left it alone
                    assertEquals("active", answer.body().path("call").path("status").asText());
                    assertEquals(List.of(), records, "an accepted call has no missed record");
                    assertEquals("active", ok(p.alice().get(calls(p.room()) + "/active")).path("status").asText());
                    ok(p.bob().post(calls(p.room()) + "/" + callId + "/end", "{}"));
                    assertEquals("completed", history(p.server(), p.room(), callId).get(0).path("outcome").asText());
                } else {
                    assertEquals("call_ended", answer.code(), answer.raw().body());
                    assertEquals(1, records.size());
                    assertEquals("missed", records.get(0).path("outcome").asText());
                }
                assertEquals(1, history(p.server(), p.room(), callId).size());
                assertEquals(404, p.alice().get(calls(p.room()) + "/active").status());
            }
        }
    }

    @Test
    void cancelRacingDecline_alwaysHasExactlyOneOutcome_thatBothAnswersShow() {
        try (Pair p = pair()) {
            for (int i = 0; i < 8; i++) {
                String callId = ok(p.alice().post(calls(p.room()), "{}")).path("call").path("id").asText();
                CompletableFuture<Api.Response> decline = CompletableFuture.supplyAsync(
                        () -> p.bob().post(calls(p.room()) + "/" + callId + "/decline", ""));
                JsonNode cancelled = ok(p.alice().post(calls(p.room()) + "/" + callId + "/end", "{\"reason\":\"cancelled\"}"));
                JsonNode declined = ok(decline.join());
                // whichever came second found the call over and answered it as it is
                assertEquals(cancelled.path("status").asText(), declined.path("status").asText());
                assertEquals(cancelled.path("endReason").asText(), declined.path("endReason").asText());
                List<JsonNode> records = history(p.server(), p.room(), callId);
                assertEquals(1, records.size(), records.toString());
                String outcome = "declined".equals(cancelled.path("status").asText()) ? "declined" : "cancelled";
                assertEquals(outcome, records.get(0).path("outcome").asText());
                assertEquals(404, p.alice().get(calls(p.room()) + "/active").status());
            }
        }
    }

    @Test
    void groupCall_isActiveAtOnce_joinLeaveFullAndCreatorEnd() {
        Api server = Api.newTenant(stack);
        assertEquals(200, server.send("PATCH", "/tenant/settings", "{\"calls\":{\"maxParticipants\":2}}").status());
        Api alice = Api.withToken(stack, server.tokenFor("alice"));
        Api bob = Api.withToken(stack, server.tokenFor("bob"));
        String carolToken = server.tokenFor("carol");
        Api carol = Api.withToken(stack, carolToken);
        String room = server.room("alice", "bob", "carol");
        try (Socket carolSocket = Socket.open(stack, carolToken)) {
            carolSocket.hello();
            JsonNode call = ok(alice.post(calls(room), "{}")).path("call");
            String callId = call.path("id").asText();
            assertEquals("active", call.path("status").asText());
            awaitCallFrame(carolSocket, "call-invite", callId);

            // bob "starts" too: the room's call is joined, not a second one made
            assertEquals(callId, ok(bob.post(calls(room), "{}")).path("call").path("id").asText());
            assertEquals("call_full", carol.post(calls(room) + "/" + callId + "/accept", "").code());
            assertEquals(409, carol.post(calls(room), "{}").status());
            // decline is a no-op in a group; only the creator ends it for everyone
            assertEquals("active", ok(carol.post(calls(room) + "/" + callId + "/decline", "")).path("status").asText());
            assertEquals("not_call_creator", bob.post(calls(room) + "/" + callId + "/end", "{}").code());

            JsonNode left = ok(bob.post(calls(room) + "/" + callId + "/leave", ""));
            assertEquals("active", left.path("status").asText());
            assertEquals("not_in_call", bob.post(calls(room) + "/" + callId + "/token", "").code());
            JsonNode joined = ok(carol.post(calls(room) + "/" + callId + "/accept", ""));
            assertEquals("active", joined.path("call").path("status").asText());

            JsonNode ended = ok(alice.post(calls(room) + "/" + callId + "/end", "{}"));
            assertEquals("ended", ended.path("status").asText());
            assertEquals("alice", awaitCallFrame(carolSocket, "call-ended", callId).path("data").path("userId").asText());
            List<JsonNode> records = history(server, room, callId);
            assertEquals(1, records.size());
            assertEquals("completed", records.get(0).path("outcome").asText());
            assertTrue(records.get(0).path("isGroup").asBoolean());
        }
    }

    @Test
    void callsDisabled_every_call_route_is_403_and_chat_still_works() {
        Api server = Api.newTenant(stack);
        Api alice = Api.withToken(stack, server.tokenFor("alice"));
        server.tokenFor("bob");
        String room = server.room("alice", "bob");
        String callId = ok(alice.post(calls(room), "{}")).path("call").path("id").asText();
        assertEquals(200, server.send("PATCH", "/tenant/settings", "{\"calls\":{\"enabled\":false}}").status());
        assertEquals("calls_disabled", alice.get(calls(room) + "/active").code());
        assertEquals("calls_disabled", alice.post(calls(room), "{}").code());
        for (String action : List.of("accept", "decline", "end", "leave", "token")) {
            Api.Response response = alice.post(calls(room) + "/" + callId + "/" + action, "{}");
            assertEquals(403, response.status());
            assertEquals("calls_disabled", response.code());
        }
        assertEquals(201, alice.post("/chat/rooms/" + room + "/messages", Api.text("still chatting")).status());
        // an API key is not a call participant
        assertEquals(200, server.send("PATCH", "/tenant/settings", "{\"calls\":{\"enabled\":true}}").status());
        assertEquals("session_token_required", server.get(calls(room) + "/active").code());
        // clients cannot write call records themselves
        assertEquals(400, alice.post("/chat/rooms/" + room + "/messages",
                "{\"parts\":[{\"type\":\"data-call\",\"data\":{\"callId\":\"x\"}}]}").status());
    }

    @Test
    void liveKitToken_verifiesWithTheSecretAndCarriesIdentityRoomGrantsAnd600sExpiry() throws Exception {
        try (Pair p = pair()) {
            JsonNode started = ok(p.alice().post(calls(p.room()), "{}"));
            String callId = started.path("call").path("id").asText();
            String mediaRoom = started.path("call").path("livekitRoomName").asText();
            assertTrue(mediaRoom.contains(callId));
            JsonNode refreshed = ok(p.alice().post(calls(p.room()) + "/" + callId + "/token", "")).path("livekit");
            for (JsonNode livekit : List.of(started.path("livekit"), refreshed)) {
                SignedJWT jwt = SignedJWT.parse(livekit.path("token").asText());
                assertTrue(jwt.verify(new MACVerifier(FakeLiveKit.API_SECRET)));
                assertTrue(!jwt.verify(new MACVerifier("another-secret-that-is-long-enough-for-hs256-xx")));
                var claims = jwt.getJWTClaimsSet();
                assertEquals("alice", claims.getSubject());
                assertEquals(FakeLiveKit.API_KEY, claims.getIssuer());
                assertEquals("alice", claims.getStringClaim("name"));
                Map<String, Object> video = claims.getJSONObjectClaim("video");
                assertEquals(true, video.get("roomJoin"));
                assertEquals(mediaRoom, video.get("room"));
                assertEquals(true, video.get("canPublish"));
                assertEquals(true, video.get("canSubscribe"));
                assertTrue(video.get("roomAdmin") == null && video.get("roomCreate") == null, video.toString());
                long lifetime = claims.getExpirationTime().toInstant().getEpochSecond() - Instant.now().getEpochSecond();
                assertTrue(lifetime > 590 && lifetime <= 600, "expires in " + lifetime + " s");
                assertEquals(claims.getExpirationTime().toInstant().getEpochSecond(),
                        Instant.parse(livekit.path("expiresAt").asText()).getEpochSecond());
            }
            assertEquals("not_in_call", p.bob().post(calls(p.room()) + "/" + callId + "/token", "").code());
        }
    }

    @Test
    void liveKitWebhook_roomFinishedEndsTheCall_andABadSignatureIs401() throws Exception {
        try (Pair p = pair()) {
            JsonNode call = ok(p.alice().post(calls(p.room()), "{}")).path("call");
            String callId = call.path("id").asText();
            ok(p.bob().post(calls(p.room()) + "/" + callId + "/accept", ""));
            String body = JsonFormat.printer().print(LivekitWebhook.WebhookEvent.newBuilder().setEvent("room_finished")
                    .setId("EV_1").setRoom(LivekitModels.Room.newBuilder().setName(call.path("livekitRoomName").asText())).build());

            assertEquals(401, webhook(body, sign(body, "wrong-secret-that-is-long-enough-for-hs256-signing")).statusCode());
            assertEquals(401, webhook(body, null).statusCode());
            assertEquals(401, webhook(body, sign(body.replace("room_finished", "room_started"), FakeLiveKit.API_SECRET)).statusCode());
            assertEquals("active", ok(p.alice().get(calls(p.room()) + "/active")).path("status").asText());

            assertEquals(200, webhook(body, sign(body, FakeLiveKit.API_SECRET)).statusCode());
            assertEquals("media_ended", awaitCallFrame(p.bobSocket(), "call-ended", callId).path("data").path("reason").asText());
            assertEquals(404, p.alice().get(calls(p.room()) + "/active").status());
            // LiveKit retries webhooks: the same event again changes nothing
            assertEquals(200, webhook(body, sign(body, FakeLiveKit.API_SECRET)).statusCode());
            List<JsonNode> records = history(p.server(), p.room(), callId);
            assertEquals(1, records.size());
            assertEquals("completed", records.get(0).path("outcome").asText());
        }
    }

    private static String sign(String body, String secret) throws Exception {
        AccessToken token = new AccessToken(FakeLiveKit.API_KEY, secret);
        token.setSha256(Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8))));
        return token.toJwt();
    }

    private HttpResponse<String> webhook(String body, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stack.apiUrl() + "/livekit/webhook"))
                .header("Content-Type", "application/webhook+json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
