package dev.sendsar.local;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Edit, delete, reactions, pins, forwards and replies, seen by two users on real sockets. */
class MessageActionsTest {
    private final LocalStack stack = TestStack.get();

    @Test
    void editDeleteReactAndPin_reachEveryParticipantAsMessageUpdated() {
        Api server = Api.newTenant(stack);
        Api alice = Api.withToken(stack, server.tokenFor("alice"));
        String bobToken = server.tokenFor("bob");
        Api bob = Api.withToken(stack, bobToken);
        String room = server.room("alice", "bob");
        try (Socket bobSocket = Socket.open(stack, bobToken)) {
            bobSocket.hello();
            String id = alice.post("/chat/rooms/" + room + "/messages", Api.text("helo")).body().path("id").asText();
            bobSocket.await("new-message");

            Api.Response edited = alice.send("PATCH", "/chat/rooms/" + room + "/messages/" + id, Api.text("hello"));
            assertEquals(200, edited.status(), edited.raw().body());
            assertEquals("hello", edited.body().path("previewText").asText());
            assertFalse(edited.body().path("editedAt").isNull());
            JsonNode update = bobSocket.await("message-updated").path("data");
            assertEquals("hello", update.path("parts").get(0).path("text").asText());
            assertEquals("not_message_sender", bob.send("PATCH", "/chat/rooms/" + room + "/messages/" + id, Api.text("mine now")).code());

            Api.Response reacted = bob.post("/chat/rooms/" + room + "/messages/" + id + "/reactions", "{\"emoji\":\"👍\"}");
            assertEquals("bob", reacted.body().path("reactions").get(0).path("userId").asText());
            assertEquals(1, bobSocket.await("message-updated").path("data").path("reactions").size());
            alice.post("/chat/rooms/" + room + "/messages/" + id + "/reactions", "{\"emoji\":\"👍\"}");
            Api.Response toggledOff = bob.post("/chat/rooms/" + room + "/messages/" + id + "/reactions", "{\"emoji\":\"👍\"}");
            assertEquals(1, toggledOff.body().path("reactions").size());
            assertEquals("alice", toggledOff.body().path("reactions").get(0).path("userId").asText());

            Api.Response pinned = bob.post("/chat/rooms/" + room + "/messages/" + id + "/pin", "");
            assertEquals("bob", pinned.body().path("pinnedBy").asText());
            assertEquals(pinned.body(), bob.post("/chat/rooms/" + room + "/messages/" + id + "/pin", "").body());
            assertEquals(id, alice.get("/chat/rooms/" + room + "/pinned-messages").body().path("messages").get(0).path("id").asText());
            assertTrue(bob.delete("/chat/rooms/" + room + "/messages/" + id + "/pin").body().path("pinnedAt").isNull());
            assertEquals(0, alice.get("/chat/rooms/" + room + "/pinned-messages").body().path("messages").size());

            assertEquals("not_allowed", bob.delete("/chat/rooms/" + room + "/messages/" + id).code());
            Api.Response deleted = alice.delete("/chat/rooms/" + room + "/messages/" + id);
            assertEquals(200, deleted.status());
            assertEquals(0, deleted.body().path("parts").size());
            assertFalse(deleted.body().path("deletedAt").isNull());
            assertFalse(deleted.body().path("deletedHidden").asBoolean());
            JsonNode stored = alice.get("/chat/rooms/" + room + "/messages").body().path("messages").get(0);
            assertEquals(1, stored.path("seq").asLong());
            assertEquals(0, stored.path("parts").size());
            assertEquals(deleted.body(), alice.delete("/chat/rooms/" + room + "/messages/" + id).body());
        }
    }

    @Test
    void anOperatorMayDeleteOthersMessages_andHiddenDisplayMarksThem() {
        Api server = Api.newTenant(stack);
        Api alice = Api.withToken(stack, server.tokenFor("alice"));
        Api bob = Api.withToken(stack, server.tokenFor("bob"));
        String room = server.post("/chat/rooms", "{\"participants\":[{\"id\":\"alice\",\"role\":\"OPERATOR\"},{\"id\":\"bob\"}]}")
                .body().path("id").asText();
        String id = bob.post("/chat/rooms/" + room + "/messages", Api.text("spam")).body().path("id").asText();
        Api.Response patched = server.send("PATCH", "/tenant/settings", "{\"chat\":{\"deletedMessageDisplay\":\"hidden\"}}");
        assertEquals(200, patched.status(), patched.raw().body());
        Api.Response deleted = alice.delete("/chat/rooms/" + room + "/messages/" + id);
        assertEquals(200, deleted.status(), deleted.raw().body());
        assertTrue(deleted.body().path("deletedHidden").asBoolean());
    }

    @Test
    void repliesCarryAParentPreview_andForwardsCopyIntoRoomsTheSenderIsIn() {
        Api server = Api.newTenant(stack);
        Api alice = Api.withToken(stack, server.tokenFor("alice"));
        String carolToken = server.tokenFor("carol");
        server.tokenFor("bob");
        String room = server.room("alice", "bob");
        String other = server.room("alice", "carol");
        String notMine = server.room("bob", "carol");
        String id = alice.post("/chat/rooms/" + room + "/messages", Api.text("original")).body().path("id").asText();

        Api.Response reply = alice.post("/chat/rooms/" + room + "/messages",
                "{\"parentMessageId\":\"" + id + "\",\"parts\":[{\"type\":\"text\",\"text\":\"re\"}]}");
        assertEquals(id, reply.body().path("parentMessage").path("id").asText());
        assertEquals("original", reply.body().path("parentMessage").path("previewText").asText());

        try (Socket carol = Socket.open(stack, carolToken)) {
            carol.hello();
            Api.Response forwarded = alice.post("/chat/rooms/" + room + "/messages/" + id + "/forward",
                    "{\"targetRoomIds\":[\"" + other + "\"]}");
            assertEquals(200, forwarded.status(), forwarded.raw().body());
            JsonNode copy = carol.await("new-message").path("data");
            assertEquals(other, copy.path("roomId").asText());
            assertEquals(id, copy.path("forwardedFromId").asText());
            assertEquals("alice", copy.path("forwardedFromSenderId").asText());
            assertEquals("original", copy.path("parts").get(0).path("text").asText());
        }
        assertEquals(404, alice.post("/chat/rooms/" + room + "/messages/" + id + "/forward",
                "{\"targetRoomIds\":[\"" + notMine + "\"]}").status());
        assertEquals(0, server.get("/chat/rooms/" + notMine + "/messages").body().path("messages").size());
    }
}
