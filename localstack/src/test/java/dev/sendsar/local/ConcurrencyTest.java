package dev.sendsar.local;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Seqs stay 1, 2, 3… with no gap or repeat under parallel sends; a retried clientMessageId is stored once. */
class ConcurrencyTest {
    private final LocalStack stack = TestStack.get();

    @Test
    void parallelSends_getEachSeqFromOneToTwentyExactlyOnce() {
        Api server = Api.newTenant(stack);
        server.tokenFor("a");
        server.tokenFor("b");
        String room = server.room("a", "b");
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<CompletableFuture<Api.Response>> sends = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String body = "{\"senderId\":\"" + (i % 2 == 0 ? "a" : "b") + "\",\"parts\":[{\"type\":\"text\",\"text\":\"m" + i + "\"}]}";
                sends.add(CompletableFuture.supplyAsync(() -> server.post("/chat/rooms/" + room + "/messages", body), pool));
            }
            List<Api.Response> responses = sends.stream().map(CompletableFuture::join).toList();
            responses.forEach(r -> assertEquals(201, r.status(), r.raw().body()));
            Set<Long> seqs = responses.stream().map(r -> r.body().path("seq").asLong()).collect(Collectors.toCollection(TreeSet::new));
            assertEquals(LongStream.rangeClosed(1, 20).boxed().collect(Collectors.toCollection(TreeSet::new)), seqs);

            JsonNode stored = server.get("/chat/rooms/" + room + "/messages?limit=100").body().path("messages");
            assertEquals(20, stored.size());
            assertEquals(20, server.get("/chat/rooms/" + room).body().path("lastSeq").asLong());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void parallelRetriesOfOneClientMessageId_storeOneMessage() {
        Api server = Api.newTenant(stack);
        server.tokenFor("a");
        server.tokenFor("b");
        String room = server.room("a", "b");
        String body = "{\"senderId\":\"a\",\"clientMessageId\":\"c-1\",\"parts\":[{\"type\":\"text\",\"text\":\"once\"}]}";
        ExecutorService pool = Executors.newFixedThreadPool(5);
        try {
            List<CompletableFuture<Api.Response>> sends = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                sends.add(CompletableFuture.supplyAsync(() -> server.post("/chat/rooms/" + room + "/messages", body), pool));
            }
            List<Api.Response> responses = sends.stream().map(CompletableFuture::join).toList();
            assertEquals(1, responses.stream().filter(r -> r.status() == 201).count());
            assertEquals(4, responses.stream().filter(r -> r.status() == 200).count());
            assertEquals(1, responses.stream().map(r -> r.body().path("id").asText()).distinct().count());

            JsonNode stored = server.get("/chat/rooms/" + room + "/messages").body().path("messages");
            assertEquals(1, stored.size());
            assertEquals(1, stored.get(0).path("seq").asLong());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aRetryAfterSuccess_returnsTheOriginalWith200() {
        Api server = Api.newTenant(stack);
        server.tokenFor("a");
        server.tokenFor("b");
        String room = server.room("a", "b");
        String body = "{\"senderId\":\"a\",\"clientMessageId\":\"c-2\",\"parts\":[{\"type\":\"text\",\"text\":\"hi\"}]}";
        Api.Response first = server.post("/chat/rooms/" + room + "/messages", body);
        server.post("/chat/rooms/" + room + "/messages", "{\"senderId\":\"b\",\"parts\":[{\"type\":\"text\",\"text\":\"between\"}]}");
        Api.Response retry = server.post("/chat/rooms/" + room + "/messages", body);
        assertEquals(201, first.status());
        assertEquals(200, retry.status());
        assertEquals(first.body(), retry.body());
        // the same clientMessageId from another sender is another message
        Api.Response other = server.post("/chat/rooms/" + room + "/messages", body.replace("\"a\"", "\"b\""));
        assertEquals(201, other.status());
        assertEquals(3, other.body().path("seq").asLong());
    }
}
