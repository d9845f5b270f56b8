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

        server.post("/chat/rooms/" + room + "/messages", "{\"senderId\":\"bob\",\"parts\":[{\"type\":\"text\",\"text\":\"hi\"}]}");
        assertTrue(connections.find("stale000000000=").isEmpty());
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
