package dev.sendsar.local;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Room management: updates, participants, hiding, clearing, freezing, external ids and room lists. */
class RoomsTest {
    private final LocalStack stack = TestStack.get();

    @Test
    void participantsChange_withEventsAndAMembershipMessage() {
        Api server = Api.newTenant(stack);
        String aliceToken = server.tokenFor("alice");
        Api alice = Api.withToken(stack, aliceToken);
        Api bob = Api.withToken(stack, server.tokenFor("bob"));
        String room = server.room("alice", "bob");
        try (Socket aliceSocket = Socket.open(stack, aliceToken)) {
            aliceSocket.hello();
            Api.Response added = server.post("/chat/rooms/" + room + "/participants", "{\"userId\":\"carol\",\"username\":\"Carol\"}");
            assertEquals(200, added.status(), added.raw().body());
            assertEquals(3, added.body().path("participants").size());
            JsonNode changed = aliceSocket.await("room-participants-changed").path("data");
            assertEquals("joined", changed.path("action").asText());
            assertEquals("carol", changed.path("targetUserId").asText());
            JsonNode record = alice.get("/chat/rooms/" + room + "/messages").body().path("messages").get(0);
            assertEquals("data-membership", record.path("parts").get(0).path("type").asText());
            assertEquals("carol", record.path("parts").get(0).path("data").path("targetUserId").asText());
            assertEquals(3, server.post("/chat/rooms/" + room + "/participants", "{\"userId\":\"carol\"}").body().path("participants").size());

            assertEquals("operator_required", bob.delete("/chat/rooms/" + room + "/participants/carol").code());
            server.send("PATCH", "/chat/rooms/" + room + "/participants/bob", "{\"role\":\"OPERATOR\"}");
            Api.Response removed = bob.delete("/chat/rooms/" + room + "/participants/carol");
            assertEquals(2, removed.body().path("participants").size());
            assertEquals("removed", aliceSocket.await("room-participants-changed").path("data").path("action").asText());

            Api.Response left = alice.delete("/chat/rooms/" + room + "/participants/alice");
            assertEquals(1, left.body().path("participants").size());
            assertEquals(404, alice.get("/chat/rooms/" + room).status());
        }
    }

    @Test
    void someoneRemoved_getsNothingSentAfterwards() {
        Api server = Api.newTenant(stack);
        server.tokenFor("alice");
        server.tokenFor("bob");
        String carolToken = server.tokenFor("carol");
        String room = server.room("alice", "bob", "carol");
        String send = "{\"senderId\":\"alice\",\"parts\":[{\"type\":\"text\",\"text\":\"%s\"}]}";
        try (Socket carol = Socket.open(stack, carolToken)) {
            carol.hello();
            server.post("/chat/rooms/" + room + "/messages", send.formatted("before"));
            assertEquals("before", carol.await("new-message").path("data").path("parts").get(0).path("text").asText());
            assertEquals(200, server.delete("/chat/rooms/" + room + "/participants/carol").status());
            assertEquals("removed", carol.await("room-participants-changed").path("data").path("action").asText());
            server.post("/chat/rooms/" + room + "/messages", send.formatted("after"));
            assertTrue(carol.drain(500).stream().noneMatch(f -> "new-message".equals(f.path("event").asText())
                    && f.path("data").toString().contains("after")));
        }
        JsonNode history = server.get("/chat/rooms/" + room + "/messages").body().path("messages");
        assertEquals("after", history.get(0).path("parts").get(0).path("text").asText());
        assertEquals("data-membership", history.get(1).path("parts").get(0).path("type").asText());
        assertEquals("removed", history.get(1).path("parts").get(0).path("data").path("action").asText());
    }

    @Test
    void patchFreezeAndExternalIds() {
        Api server = Api.newTenant(stack);
        String aliceToken = server.tokenFor("alice");
        Api alice = Api.withToken(stack, aliceToken);
        server.tokenFor("bob");
        String room = server.room("alice", "bob");
        try (Socket socket = Socket.open(stack, aliceToken)) {
            socket.hello();
            Api.Response patched = server.send("PATCH", "/chat/rooms/" + room,
                    "{\"name\":\"Renamed\",\"metadata\":{\"order\":\"8f2a\"},\"isFrozen\":true}");
            assertEquals("Renamed", patched.body().path("name").asText());
            JsonNode updated = socket.await("room-updated").path("data");
            assertEquals("Renamed", updated.path("name").asText());
            assertTrue(updated.path("isFrozen").asBoolean());
        }
        assertEquals("room_frozen", alice.post("/chat/rooms/" + room + "/messages", Api.text("hi")).code());
        assertEquals("operator_required", alice.send("PATCH", "/chat/rooms/" + room, "{\"isFrozen\":false}").code());

        List<CompletableFuture<Api.Response>> creates = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            creates.add(CompletableFuture.supplyAsync(() -> server.post("/chat/rooms",
                    "{\"externalId\":\"order_8f2a\",\"customType\":\"trip\",\"participants\":[{\"id\":\"alice\"},{\"id\":\"bob\"}]}")));
        }
        Set<String> ids = new HashSet<>();
        int createdCount = 0;
        for (CompletableFuture<Api.Response> c : creates) {
            Api.Response r = c.join();
            ids.add(r.body().path("id").asText());
            createdCount += r.status() == 201 ? 1 : 0;
        }
        assertEquals(1, ids.size());
        assertEquals(1, createdCount);
        assertEquals(ids.iterator().next(), server.get("/chat/rooms?externalId=order_8f2a").body().path("rooms").get(0).path("id").asText());
        assertEquals(1, alice.get("/chat/rooms?customTypesFilter=trip,other").body().path("rooms").size());
    }

    @Test
    void deleteForMeAndClearHistory_affectOnlyTheCaller() {
        Api server = Api.newTenant(stack);
        Api alice = Api.withToken(stack, server.tokenFor("alice"));
        Api bob = Api.withToken(stack, server.tokenFor("bob"));
        String room = server.room("alice", "bob");
        bob.post("/chat/rooms/" + room + "/messages", Api.text("old news"));

        Api.Response hidden = alice.delete("/chat/rooms/" + room + "/for-me");
        assertTrue(hidden.body().path("hidden").asBoolean());
        assertFalse(hidden.body().path("left").asBoolean());
        assertEquals(0, alice.get("/chat/rooms").body().path("rooms").size());
        assertEquals(1, bob.get("/chat/rooms").body().path("rooms").size());
        bob.post("/chat/rooms/" + room + "/messages", Api.text("new news"));
        assertEquals(room, alice.get("/chat/rooms").body().path("rooms").get(0).path("id").asText());

        Api.Response cleared = alice.post("/chat/rooms/" + room + "/clear-history", "");
        assertEquals(2, cleared.body().path("clearedThroughSeq").asLong());
        assertEquals(0, alice.get("/chat/rooms/" + room + "/messages").body().path("messages").size());
        assertEquals(2, bob.get("/chat/rooms/" + room + "/messages").body().path("messages").size());
        bob.post("/chat/rooms/" + room + "/messages", Api.text("after clearing"));
        assertEquals(List.of(3L), seqs(alice.get("/chat/rooms/" + room + "/messages").body().path("messages")));

        String group = server.room("alice", "bob", "carol");
        Api.Response left = alice.delete("/chat/rooms/" + group + "/for-me");
        assertTrue(left.body().path("left").asBoolean());
        assertEquals(2, server.get("/chat/rooms/" + group).body().path("participants").size());
    }

    @Test
    void roomLists_followActivityAndPageWithoutRepeatsWhileMessagesArrive() {
        Api server = Api.newTenant(stack);
        Api alice = Api.withToken(stack, server.tokenFor("alice"));
        server.tokenFor("bob");
        List<String> rooms = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            rooms.add(server.room("alice", "bob"));
        }
        server.post("/chat/rooms/" + rooms.get(0) + "/messages", "{\"senderId\":\"bob\"," + Api.text("x").substring(1));
        JsonNode first = alice.get("/chat/rooms?limit=2").body();
        assertEquals(rooms.get(0), first.path("rooms").get(0).path("id").asText());
        List<String> seen = new ArrayList<>();
        first.path("rooms").forEach(r -> seen.add(r.path("id").asText()));
        String cursor = first.path("nextCursor").asText();
        // activity in a room already listed moves it up, not into the pages still to come
        server.post("/chat/rooms/" + rooms.get(0) + "/messages", "{\"senderId\":\"bob\"," + Api.text("y").substring(1));
        while (cursor != null && !cursor.isEmpty() && !"null".equals(cursor)) {
            JsonNode page = alice.get("/chat/rooms?limit=2&cursor=" + cursor).body();
            page.path("rooms").forEach(r -> seen.add(r.path("id").asText()));
            cursor = page.path("nextCursor").isNull() ? null : page.path("nextCursor").asText();
        }
        assertEquals(6, seen.size());
        assertEquals(6, new HashSet<>(seen).size());
    }

    private static List<Long> seqs(JsonNode messages) {
        List<Long> seqs = new ArrayList<>();
        messages.forEach(m -> seqs.add(m.path("seq").asLong()));
        return seqs;
    }
}
