package dev.sendsar.local;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11 item 8: 19 messages of ~60 KB are more than one DynamoDB page (1 MB). History and /sync must still reach
 * every message, seq 1 included: a short storage page is never "the end".
 */
class HistoryPagingTest {
    private static final int MESSAGES = 19;
    private final LocalStack stack = TestStack.get();

    @Test
    void largeMessages_areAllReachableThroughHistoryAndSync() {
        Api server = Api.newTenant(stack);
        Api bob = Api.withToken(stack, server.tokenFor("bob"));
        server.tokenFor("alice");
        String room = server.room("alice", "bob");
        String pad = "p".repeat(58 * 1024);
        for (int i = 1; i <= MESSAGES; i++) {
            Api.Response sent = server.post("/chat/rooms/" + room + "/messages", "{\"senderId\":\"alice\",\"parts\":["
                    + "{\"type\":\"text\",\"text\":\"message " + i + "\"},{\"type\":\"data-pad\",\"data\":{\"pad\":\"" + pad + "\"}}]}");
            assertEquals(201, sent.status(), sent.raw().body());
        }

        List<Long> history = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < 10; page++) {
            Api.Response got = bob.get("/chat/rooms/" + room + "/messages?limit=50" + (cursor == null ? "" : "&cursor=" + cursor));
            assertEquals(200, got.status(), got.raw().body());
            got.body().path("messages").forEach(m -> history.add(m.path("seq").asLong()));
            JsonNode next = got.body().path("nextCursor");
            if (next.isNull() || next.isMissingNode()) {
                break;
            }
            cursor = next.asText();
        }
        assertEquals(LongStream.rangeClosed(1, MESSAGES).map(i -> MESSAGES + 1 - i).boxed().toList(), history);

        List<Long> synced = new ArrayList<>();
        long since = 0;
        boolean hasMore = true;
        for (int page = 0; hasMore && page < 10; page++) {
            Api.Response got = bob.get("/sync?since=" + room + ":" + since);
            assertEquals(200, got.status(), got.raw().body());
            JsonNode roomSync = got.body().path("rooms").get(0);
            roomSync.path("messages").forEach(m -> synced.add(m.path("seq").asLong()));
            hasMore = roomSync.path("hasMore").asBoolean();
            since = synced.isEmpty() ? 0 : synced.get(synced.size() - 1);
        }
        assertEquals(LongStream.rangeClosed(1, MESSAGES).boxed().toList(), synced);
        assertTrue(!hasMore);
    }
}
