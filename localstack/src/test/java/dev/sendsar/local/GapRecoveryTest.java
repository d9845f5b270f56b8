package dev.sendsar.local;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A client that was away gets exactly what it missed: nothing lost, nothing twice. */
class GapRecoveryTest {
    private final LocalStack stack = TestStack.get();

    @Test
    void aClientAwayFor50Messages_getsExactlyThoseBackInOrder() {
        Api server = Api.newTenant(stack);
        String aliceToken = server.tokenFor("alice");
        Api alice = Api.withToken(stack, aliceToken);
        server.tokenFor("bob");
        String room = server.room("alice", "bob");
        long lastSeen;
        try (Socket socket = Socket.open(stack, aliceToken)) {
            socket.hello();
            for (int i = 0; i < 3; i++) {
                server.post("/chat/rooms/" + room + "/messages", "{\"senderId\":\"bob\",\"parts\":[{\"type\":\"text\",\"text\":\"before " + i + "\"}]}");
            }
            JsonNode last = null;
            for (int i = 0; i < 3; i++) {
                last = socket.await("new-message");
            }
            lastSeen = last.path("data").path("seq").asLong();
        }
        for (int i = 0; i < 50; i++) {
            server.post("/chat/rooms/" + room + "/messages", "{\"senderId\":\"bob\",\"parts\":[{\"type\":\"text\",\"text\":\"away " + i + "\"}]}");
        }
        try (Socket socket = Socket.open(stack, aliceToken)) {
            socket.hello();
            JsonNode sync = alice.get("/sync?since=" + room + ":" + lastSeen).body();
            JsonNode missed = sync.path("rooms").get(0).path("messages");
            assertFalse(sync.path("rooms").get(0).path("hasMore").asBoolean());
            assertEquals(LongStream.rangeClosed(4, 53).boxed().toList(), seqs(missed));
            assertEquals("away 0", missed.get(0).path("parts").get(0).path("text").asText());
            assertEquals(53, sync.path("unreadTotal").asLong());

            List<Long> paged = new ArrayList<>();
            JsonNode page = alice.get("/chat/rooms/" + room + "/messages?afterSeq=" + lastSeen + "&limit=20").body();
            paged.addAll(seqs(page.path("messages")));
            while (!page.path("nextCursor").isNull()) {
                page = alice.get("/chat/rooms/" + room + "/messages?limit=20&cursor=" + page.path("nextCursor").asText()).body();
                paged.addAll(seqs(page.path("messages")));
            }
            assertEquals(LongStream.rangeClosed(4, 53).boxed().toList(), paged);
            assertTrue(socket.drain(200).stream().noneMatch(f -> "new-message".equals(f.path("event").asText())));
        }
        assertEquals(0, alice.get("/sync?since=not-a-room:0").body().path("rooms").size());
        assertEquals("validation_failed", alice.get("/sync?since=" + room + ":minus").code());
    }

    private static List<Long> seqs(JsonNode messages) {
        List<Long> seqs = new ArrayList<>();
        messages.forEach(m -> seqs.add(m.path("seq").asLong()));
        return seqs;
    }
}
