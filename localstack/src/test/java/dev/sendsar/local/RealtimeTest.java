package dev.sendsar.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sendsar.domain.Connection;
import dev.sendsar.ports.ConnectionRepository;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.GoneException;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The WebSocket API: who may connect, the client's actions, fan-out, and cleanup of dead connections. */
class RealtimeTest {
    private final LocalStack stack = TestStack.get();

    @Test
    void connect_isRefusedWith401WithoutAValidSessionToken() {
        Api server = Api.newTenant(stack);
        server.tokenFor("u");
        String expired = server.expiredTokenFor(stack, "u");
        assertEquals(401, Socket.handshakeStatus(stack, null));
        assertEquals(401, Socket.handshakeStatus(stack, "garbage"));
        assertEquals(401, Socket.handshakeStatus(stack, expired));
        assertEquals(401, Socket.handshakeStatus(stack, stack.apiKey()));
        assertEquals(101, Socket.handshakeStatus(stack, server.tokenFor("u")));
    }

    @Test
    void actions_answerAndBadFramesGetAnErrorWhileTheSocketStaysOpen() {
        Api server = Api.newTenant(stack);
        String token = server.tokenFor("alice");
        server.tokenFor("bob");
        server.tokenFor("carol");
        String ours = server.room("alice", "bob");
        String theirs = server.room("bob", "carol");
        try (Socket socket = Socket.open(stack, token)) {
            JsonNode ready = socket.hello().path("data");
            assertEquals("alice", ready.path("userId").asText());
            assertNotNull(ready.path("connectionId").asText(null));
            assertTrue(ready.path("serverTime").asText().endsWith("Z"));

            assertEquals("pong", socket.send("{\"action\":\"ping\"}").await("pong").path("event").asText());
            assertEquals("unknown_action", socket.send("{\"action\":\"dance\"}").await("error").path("data").path("code").asText());
            assertEquals("malformed_json", socket.send("not json").await("error").path("data").path("code").asText());
            assertEquals("room_not_found", socket.send("{\"action\":\"join-room\",\"roomId\":\"" + theirs + "\"}")
                    .await("error").path("data").path("code").asText());
            assertEquals(ours, socket.send("{\"action\":\"join-room\",\"roomId\":\"" + ours + "\"}")
                    .await("joined-room").path("data").path("roomId").asText());
            assertEquals(ours, socket.send("{\"action\":\"leave-room\",\"roomId\":\"" + ours + "\"}")
                    .await("left-room").path("data").path("roomId").asText());
            assertEquals("pong", socket.send("{\"action\":\"ping\"}").await("pong").path("event").asText());
        }
    }

    @Test
    void binaryAndOversizeFrames_closeTheSocketAsApiGatewayDoes() throws Exception {
        Api server = Api.newTenant(stack);
        String token = server.tokenFor("alice");
        try (Socket binary = Socket.open(stack, token)) {
            binary.sendBinary(new byte[]{1, 2, 3});
            assertEquals(1003, binary.closed.get(10, TimeUnit.SECONDS));
        }
        // this client splits a long message into frames under 32 KB; the message limit is 128 KB
        try (Socket oversize = Socket.open(stack, token)) {
            oversize.send("{\"action\":\"ping\",\"pad\":\"" + "x".repeat(130 * 1024) + "\"}");
            assertEquals(1009, oversize.closed.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void newMessage_reachesEveryConnectionOfEveryParticipantAndNoOneElse() {
        Api server = Api.newTenant(stack);
        String alice = server.tokenFor("alice");
        String bob = server.tokenFor("bob");
        String carol = server.tokenFor("carol");
        String room = server.room("alice", "bob");
        try (Socket alicePhone = Socket.open(stack, alice); Socket aliceLaptop = Socket.open(stack, alice);
             Socket bobSocket = Socket.open(stack, bob); Socket carolSocket = Socket.open(stack, carol)) {
            for (Socket s : List.of(alicePhone, aliceLaptop, bobSocket, carolSocket)) {
                s.hello();
            }
            String id = server.post("/chat/rooms/" + room + "/messages",
                    "{\"senderId\":\"bob\",\"parts\":[{\"type\":\"text\",\"text\":\"to all of you\"}]}").body().path("id").asText();
            for (Socket s : List.of(alicePhone, aliceLaptop, bobSocket)) {
                assertEquals(id, s.await("new-message").path("data").path("id").asText());
            }
            assertTrue(carolSocket.drain(300).stream().noneMatch(f -> "new-message".equals(f.path("event").asText())));
        }
    }

    /**
     * A send or forward naming the sending device's own socket skips that socket alone (it has the message from the
     * answer); an id that is not the sender's, unknown or over-long skips nobody and is no error.
     */
    @Test
    void aSendNamingTheSendersOwnSocket_skipsThatSocketOnly_andCanHideNothingFromAnyoneElse() {
        Api server = Api.newTenant(stack);
        Api alice = Api.withToken(stack, server.tokenFor("alice"));
        String bobToken = server.tokenFor("bob");
        String room = server.room("alice", "bob");
        String aliceToken = alice.credential().replaceFirst("^Bearer ", "");
        try (Socket phone = Socket.open(stack, aliceToken); Socket laptop = Socket.open(stack, aliceToken);
             Socket bob = Socket.open(stack, bobToken)) {
            String phoneId = phone.hello().path("data").path("connectionId").asText();
            laptop.hello();
            String bobId = bob.hello().path("data").path("connectionId").asText();
            String path = "/chat/rooms/" + room + "/messages";
            java.util.function.BiFunction<Api.Response, Integer, String> created = (r, status) -> {
                assertEquals(status, r.status(), r.raw().body());
                return r.body().path("id").asText();
            };
            String fromPhone = created.apply(alice.postFromSocket(phoneId, path, "{\"senderId\":\"alice\",\"parts\":[{\"type\":\"text\",\"text\":\"1\"}]}"), 201);
            String namingBob = created.apply(alice.postFromSocket(bobId, path, "{\"parts\":[{\"type\":\"text\",\"text\":\"2\"}]}"), 201);
            String unknown = created.apply(alice.postFromSocket("nope0000000000=", path, "{\"parts\":[{\"type\":\"text\",\"text\":\"3\"}]}"), 201);
            String overLong = created.apply(alice.postFromSocket(phoneId + "x".repeat(300), path, "{\"parts\":[{\"type\":\"text\",\"text\":\"4\"}]}"), 201);
            // an API key names the sender: only that sender's socket can be skipped
            String keyForAlice = created.apply(server.postFromSocket(phoneId, path, "{\"senderId\":\"alice\",\"parts\":[{\"type\":\"text\",\"text\":\"5\"}]}"), 201);
            String keyForBob = created.apply(server.postFromSocket(phoneId, path, "{\"senderId\":\"bob\",\"parts\":[{\"type\":\"text\",\"text\":\"6\"}]}"), 201);
            Api.Response forwarded = alice.postFromSocket(phoneId, path + "/" + namingBob + "/forward", "{\"targetRoomIds\":[\"" + room + "\"]}");
            assertEquals(200, forwarded.status(), forwarded.raw().body());
            String copy = forwarded.body().path("messages").get(0).path("id").asText();
            String last = created.apply(alice.post(path, "{\"parts\":[{\"type\":\"text\",\"text\":\"last\"}]}"), 201);

            List<String> all = List.of(fromPhone, namingBob, unknown, overLong, keyForAlice, keyForBob, copy, last);
            assertEquals(List.of(namingBob, unknown, overLong, keyForBob, last), newMessagesUntil(phone, last));
            assertEquals(all, newMessagesUntil(laptop, last), "the sender's other device gets every message once");
            assertEquals(all, newMessagesUntil(bob, last), "the other member gets every message once");
        }
    }

    /** The ids of the {@code new-message} frames a socket gets, in order, up to and including {@code lastId}. */
    private static List<String> newMessagesUntil(Socket socket, String lastId) {
        List<String> ids = new java.util.ArrayList<>();
        socket.await(f -> {
            if ("new-message".equals(f.path("event").asText())) {
                ids.add(f.path("data").path("id").asText());
            }
            return ids.contains(lastId);
        }, "message " + lastId + " (got " + ids + ")");
        socket.drain(0).stream().filter(f -> "new-message".equals(f.path("event").asText()))
                .forEach(f -> ids.add(f.path("data").path("id").asText()));
        return ids;
    }

    @Test
    void aConnectionThatIsGone_isForgottenAtTheFirst410() {
        Api server = Api.newTenant(stack);
        server.tokenFor("alice");
        server.tokenFor("bob");
        String room = server.room("alice", "bob");
        ConnectionRepository connections = stack.context().getBean(ConnectionRepository.class);
        String tenantId = tenantOf(server);
        // as if API Gateway had missed the $disconnect of a socket that closed long ago
        connections.save(new Connection("stale000000000=", tenantId, "alice", null, Instant.now().minusSeconds(3600).toString(),
                Instant.now().plusSeconds(3600).getEpochSecond()));
        assertTrue(connections.find("stale000000000=").isPresent());

        Api.Response sent = server.post("/chat/rooms/" + room + "/messages", "{\"senderId\":\"bob\",\"parts\":[{\"type\":\"text\",\"text\":\"hi\"}]}");
        assertEquals(201, sent.status(), sent.raw().body());
        assertTrue(connections.find("stale000000000=").isEmpty(), "the send's post got a 410 and forgot the connection");
    }

    @Test
    void closingTheSocket_runsDisconnectAndTheManagementApiSaysGone() throws Exception {
        Api server = Api.newTenant(stack);
        String token = server.tokenFor("alice");
        ConnectionRepository connections = stack.context().getBean(ConnectionRepository.class);
        ApiGatewayManagementApiClient management = stack.context().getBean(ApiGatewayManagementApiClient.class);
        String connectionId;
        try (Socket socket = Socket.open(stack, token)) {
            connectionId = socket.hello().path("data").path("connectionId").asText();
            String id = connectionId;
            assertTrue(connections.find(connectionId).isPresent());
            assertNotNull(management.getConnection(b -> b.connectionId(id)).connectedAt());
        }
        String id = connectionId;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (connections.find(connectionId).isPresent() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertTrue(connections.find(connectionId).isEmpty(), "$disconnect did not remove the connection");
        assertThrows(GoneException.class, () -> management.postToConnection(b -> b.connectionId(id)
                .data(software.amazon.awssdk.core.SdkBytes.fromUtf8String("{}"))));
    }

    @Test
    void deleteConnection_closesTheClientsSocket() throws Exception {
        Api server = Api.newTenant(stack);
        ApiGatewayManagementApiClient management = stack.context().getBean(ApiGatewayManagementApiClient.class);
        try (Socket socket = Socket.open(stack, server.tokenFor("alice"))) {
            String id = socket.hello().path("data").path("connectionId").asText();
            management.deleteConnection(b -> b.connectionId(id));
            assertEquals(1000, socket.closed.get(10, TimeUnit.SECONDS));
        }
    }

    private String tenantOf(Api server) {
        String token = server.tokenFor("probe");
        try (Socket socket = Socket.open(stack, token)) {
            return socket.hello().path("data").path("tenantId").asText();
        }
    }
}
