package dev.sendsar.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sendsar.domain.Connection;
import dev.sendsar.ports.ConnectionRepository;
import dev.sendsar.ports.RoomRepository;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Read and delivery receipts, unread counts, typing and presence between users on real sockets. */
class ReceiptsTypingPresenceTest {
    private final LocalStack stack = TestStack.get();

    @Test
    void readReceipts_moveForwardOnlyAndUnreadCountsAgreeEverywhere() {
        Api server = Api.newTenant(stack);
        Api alice = Api.withToken(stack, server.tokenFor("alice"));
        String bobToken = server.tokenFor("bob");
        Api bob = Api.withToken(stack, bobToken);
        String room = server.room("alice", "bob");
        String first = alice.post("/chat/rooms/" + room + "/messages", Api.text("1")).body().path("id").asText();
        alice.post("/chat/rooms/" + room + "/messages", Api.text("2"));
        String third = alice.post("/chat/rooms/" + room + "/messages", Api.text("3")).body().path("id").asText();

        assertEquals(3, bob.get("/chat/rooms").body().path("rooms").get(0).path("unreadCount").asLong());
        assertEquals(0, alice.get("/chat/rooms").body().path("rooms").get(0).path("unreadCount").asLong());
        try (Socket bobPhone = Socket.open(stack, bobToken); Socket aliceSocket = Socket.open(stack, server.tokenFor("alice"))) {
            assertEquals(3, bobPhone.hello().path("data").path("unreadTotal").asLong());
            aliceSocket.hello();

            Api.Response read = bob.post("/chat/rooms/" + room + "/read", "{\"lastReadMessageId\":\"" + third + "\"}");
            assertEquals(200, read.status(), read.raw().body());
            assertEquals(3, read.body().path("lastReadSeq").asLong());
            assertEquals(0, read.body().path("unreadCount").asLong());
            JsonNode receipt = aliceSocket.await("room-read").path("data");
            assertEquals("bob", receipt.path("userId").asText());
            assertEquals(third, receipt.path("lastReadMessageId").asText());
            assertEquals("bob", bobPhone.await("room-read").path("data").path("userId").asText());

            Api.Response backwards = bob.post("/chat/rooms/" + room + "/read", "{\"lastReadMessageId\":\"" + first + "\"}");
            assertEquals(3, backwards.body().path("lastReadSeq").asLong());
            assertEquals(0, bob.get("/chat/rooms").body().path("rooms").get(0).path("unreadCount").asLong());
            assertFalse(alice.get("/chat/rooms/" + room + "/messages").body().path("peerLastReadAt").isNull());

            Api.Response delivered = bob.post("/chat/rooms/" + room + "/delivery", "{\"lastDeliveredMessageId\":\"" + third + "\"}");
            assertEquals(3, delivered.body().path("lastDeliveredSeq").asLong());
            assertEquals(third, aliceSocket.await("room-delivered").path("data").path("lastDeliveredMessageId").asText());
            assertFalse(alice.get("/chat/rooms/" + room + "/messages").body().path("peerLastDeliveredAt").isNull());
            assertEquals("cannot_act_as_other_user",
                    bob.post("/chat/rooms/" + room + "/read", "{\"lastReadMessageId\":\"" + third + "\",\"userId\":\"alice\"}").code());
        }
    }

    /**
     * One's own messages are read by oneself without a cursor write in a 1:1: the room item names the last two
     * senders, and every view of read state (room list, room, /read answer and event, ready, peerLastReadAt) counts
     * them; a read receipt behind one's own last message leaves that message read.
     */
    @Test
    void ownMessagesAreNeverUnread_andA1to1ConversationWritesNoReadCursor() {
        Api server = Api.newTenant(stack);
        String aliceToken = server.tokenFor("alice");
        Api alice = Api.withToken(stack, aliceToken);
        Api bob = Api.withToken(stack, server.tokenFor("bob"));
        String room = server.room("alice", "bob");
        String first = alice.post("/chat/rooms/" + room + "/messages", Api.text("1")).body().path("id").asText();
        alice.post("/chat/rooms/" + room + "/messages", Api.text("2"));
        String third = alice.post("/chat/rooms/" + room + "/messages", Api.text("3")).body().path("id").asText();
        JsonNode reply = bob.post("/chat/rooms/" + room + "/messages", Api.text("4")).body();

        JsonNode aliceSees = alice.get("/chat/rooms").body().path("rooms").get(0);
        assertEquals(1, aliceSees.path("unreadCount").asLong());
        assertEquals(third, aliceSees.path("lastReadMessageId").asText());
        JsonNode bobSees = bob.get("/chat/rooms/" + room).body();
        assertEquals(0, bobSees.path("unreadCount").asLong());
        assertEquals(reply.path("id").asText(), bobSees.path("lastReadMessageId").asText());
        // bob's reply says he read alice's messages
        assertEquals(reply.path("createdAt").asText(), alice.get("/chat/rooms/" + room + "/messages").body().path("peerLastReadAt").asText());
        // neither send wrote a member item: the room item alone says who read what
        String tenant = Api.tenantOf(aliceToken);
        RoomRepository rooms = stack.context().getBean(RoomRepository.class);
        assertEquals(0, rooms.member(tenant, room, "alice").orElseThrow().lastReadSeq());
        assertEquals(0, rooms.member(tenant, room, "bob").orElseThrow().lastReadSeq());

        try (Socket aliceSocket = Socket.open(stack, aliceToken)) {
            assertEquals(1, aliceSocket.hello().path("data").path("unreadTotal").asLong());
            // a receipt for a message before bob's own last one moves his cursor but not what everyone sees
            Api.Response behind = bob.post("/chat/rooms/" + room + "/read", "{\"lastReadMessageId\":\"" + first + "\"}");
            assertEquals(200, behind.status(), behind.raw().body());
            assertEquals(4, behind.body().path("lastReadSeq").asLong());
            assertEquals(0, behind.body().path("unreadCount").asLong());
            assertEquals(0, bob.get("/chat/rooms").body().path("rooms").get(0).path("unreadCount").asLong());
            assertEquals(1, rooms.member(tenant, room, "bob").orElseThrow().lastReadSeq());

            Api.Response read = alice.post("/chat/rooms/" + room + "/read", "{\"lastReadMessageId\":\"" + reply.path("id").asText() + "\"}");
            assertEquals(0, read.body().path("unreadCount").asLong());
            assertEquals(4, aliceSocket.await("room-read").path("data").path("lastReadSeq").asLong());
        }
    }

    @Test
    void typing_reachesOthersJoinedToTheRoomOnlyAndCarriesAnExpiry() {
        Api server = Api.newTenant(stack);
        String room = server.room("alice", "bob", "carol");
        server.tokenFor("dave");
        try (Socket alice = Socket.open(stack, server.tokenFor("alice"));
             Socket bob = Socket.open(stack, server.tokenFor("bob"));
             Socket carol = Socket.open(stack, server.tokenFor("carol"))) {
            for (Socket s : List.of(alice, bob, carol)) {
                s.hello();
            }
            alice.send("{\"action\":\"join-room\",\"roomId\":\"" + room + "\"}").await("joined-room");
            bob.send("{\"action\":\"join-room\",\"roomId\":\"" + room + "\"}").await("joined-room");

            alice.send("{\"action\":\"typing\",\"roomId\":\"" + room + "\",\"isTyping\":true}");
            JsonNode typing = bob.await("typing").path("data");
            assertEquals("alice", typing.path("userId").asText());
            assertTrue(typing.path("isTyping").asBoolean());
            assertTrue(Instant.parse(typing.path("expiresAt").asText()).isAfter(Instant.now()));
            alice.send("{\"action\":\"typing\",\"roomId\":\"" + room + "\",\"isTyping\":false}");
            assertFalse(bob.await("typing").path("data").path("isTyping").asBoolean());

            assertTrue(alice.drain(300).stream().noneMatch(f -> "typing".equals(f.path("event").asText())));
            assertTrue(carol.drain(100).stream().noneMatch(f -> "typing".equals(f.path("event").asText())));
        }
    }

    @Test
    void tenantPresence_changesOnFirstConnectAndLastDisconnectOnly() {
        Api server = Api.newTenant(stack);
        String bobToken = server.tokenFor("bob");
        try (Socket alice = Socket.open(stack, server.tokenFor("alice"))) {
            alice.hello();
            Socket bobPhone = Socket.open(stack, bobToken);
            JsonNode snapshot = bobPhone.send("{\"action\":\"hello\"}").await("tenant-presence-snapshot").path("data");
            assertTrue(snapshot.path("onlineUserIds").toString().contains("alice"));
            JsonNode online = alice.await("tenant-presence").path("data");
            assertEquals("bob", online.path("userId").asText());
            assertTrue(online.path("online").asBoolean());

            Socket bobLaptop = Socket.open(stack, bobToken);
            bobLaptop.hello();
            bobPhone.close();
            List<JsonNode> afterPhone = alice.drain(500);
            assertTrue(afterPhone.stream().noneMatch(f -> "tenant-presence".equals(f.path("event").asText())),
                    "bob still has a connection: " + afterPhone);
            bobLaptop.close();
            JsonNode offline = alice.await("tenant-presence").path("data");
            assertEquals("bob", offline.path("userId").asText());
            assertFalse(offline.path("online").asBoolean());
        }
    }

    @Test
    void aConnectionWhoseDisconnectWasMissed_stopsCountingAsOnline() {
        Api server = Api.newTenant(stack);
        String token = server.tokenFor("alice");
        String tenantId = Api.tenantOf(token);
        ConnectionRepository connections = stack.context().getBean(ConnectionRepository.class);
        // bob's socket went away without a $disconnect, and its client stopped talking 12 minutes ago
        connections.save(new Connection("ghost00000000=", tenantId, "bob", null, Instant.now().minusSeconds(3600).toString(),
                Instant.now().minusSeconds(60).getEpochSecond()));
        try (Socket alice = Socket.open(stack, token)) {
            JsonNode snapshot = alice.send("{\"action\":\"hello\"}").await("tenant-presence-snapshot").path("data");
            assertEquals("[\"alice\"]", snapshot.path("onlineUserIds").toString());
        }
    }

    @Test
    void roomPresence_followsTheJoinedRoom() {
        Api server = Api.newTenant(stack);
        String room = server.room("alice", "bob");
        String elsewhere = server.room("alice", "bob");
        try (Socket alice = Socket.open(stack, server.tokenFor("alice"));
             Socket bob = Socket.open(stack, server.tokenFor("bob"))) {
            alice.hello();
            bob.hello();
            alice.send("{\"action\":\"join-room\",\"roomId\":\"" + room + "\"}").await("joined-room");
            JsonNode snapshot = bob.send("{\"action\":\"join-room\",\"roomId\":\"" + room + "\"}").await("presence-snapshot").path("data");
            assertEquals(List.of("alice"), List.of(snapshot.path("onlineUserIds").get(0).asText()));
            JsonNode here = alice.await("presence").path("data");
            assertEquals("bob", here.path("userId").asText());
            assertTrue(here.path("online").asBoolean());

            bob.send("{\"action\":\"join-room\",\"roomId\":\"" + elsewhere + "\"}").await("joined-room");
            JsonNode gone = alice.await("presence").path("data");
            assertEquals("bob", gone.path("userId").asText());
            assertFalse(gone.path("online").asBoolean());
        }
    }
}
