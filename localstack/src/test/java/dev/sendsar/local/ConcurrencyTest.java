package dev.sendsar.local;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import dev.sendsar.domain.Ids;
import dev.sendsar.domain.Message;
import dev.sendsar.domain.Times;
import dev.sendsar.ports.MessageRepository;
import dev.sendsar.ports.MessageRepository.ClientKey;
import dev.sendsar.ports.MessageRepository.Reservation;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Seqs stay 1, 2, 3… with no gap or repeat under parallel sends; a retried clientMessageId is stored once, also
 * while its first attempt is in flight; a message reaches the member list current at its seq.
 */
class ConcurrencyTest {
    private final LocalStack stack = TestStack.get();

    /** A new tenant (its API key and id) with a room of users "a" and "b". */
    private record TwoPeople(Api server, String tenant, String room) {
    }

    private TwoPeople twoPeople() {
        Api server = Api.newTenant(stack);
        String tenant = Api.tenantOf(server.tokenFor("a"));
        server.tokenFor("b");
        return new TwoPeople(server, tenant, server.room("a", "b"));
    }

    @Test
    void parallelSends_getEachSeqFromOneToTwentyExactlyOnce() {
        TwoPeople two = twoPeople();
        Api server = two.server();
        String room = two.room();
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

    /**
     * Sending marks read without a cursor write: after parallel sends by three members, each one's unread count is
     * exactly the messages after its own last one, however the room item's moves raced (a move refused by a newer
     * message, a position the room stopped naming: each went to that sender's cursor).
     */
    @Test
    void parallelSendsOfThreeMembers_leaveEachMembersUnreadCountExact() {
        Api server = Api.newTenant(stack);
        List<String> users = List.of("a", "b", "c");
        Map<String, Api> as = new java.util.HashMap<>();
        users.forEach(u -> as.put(u, Api.withToken(stack, server.tokenFor(u))));
        String room = server.room("a", "b", "c");
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try {
            List<CompletableFuture<Api.Response>> sends = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                String sender = users.get(i * 7 % 3);
                String body = Api.text("m" + i);
                sends.add(CompletableFuture.supplyAsync(() -> as.get(sender).post("/chat/rooms/" + room + "/messages", body), pool));
            }
            Map<String, Long> ownLast = new java.util.HashMap<>();
            for (CompletableFuture<Api.Response> send : sends) {
                JsonNode sent = send.join().body();
                ownLast.merge(sent.path("senderId").asText(), sent.path("seq").asLong(), Math::max);
            }
            for (String u : users) {
                JsonNode listed = as.get(u).get("/chat/rooms").body().path("rooms").get(0);
                assertEquals(24, listed.path("lastSeq").asLong());
                assertEquals(24 - ownLast.get(u), listed.path("unreadCount").asLong(), u);
                assertEquals(ownLast.get(u), Ids.seqOfMessageId(listed.path("lastReadMessageId").asText()), u);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void parallelRetriesOfOneClientMessageId_storeOneMessage() {
        TwoPeople two = twoPeople();
        Api server = two.server();
        String room = two.room();
        String body = "{\"senderId\":\"a\",\"clientMessageId\":\"c-1\",\"parts\":[{\"type\":\"text\",\"text\":\"once\"}]}";
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            List<CompletableFuture<Api.Response>> sends = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                sends.add(CompletableFuture.supplyAsync(() -> server.post("/chat/rooms/" + room + "/messages", body), pool));
            }
            List<Api.Response> responses = sends.stream().map(CompletableFuture::join).toList();
            assertEquals(1, responses.stream().filter(r -> r.status() == 201).count(), responses.toString());
            assertEquals(9, responses.stream().filter(r -> r.status() == 200).count(), responses.toString());
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
        TwoPeople two = twoPeople();
        Api server = two.server();
        String room = two.room();
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

    private static final String SEND_C1 = "{\"senderId\":\"a\",\"clientMessageId\":\"c-1\",\"parts\":[{\"type\":\"text\",\"text\":\"hi\"}]}";

    private MessageRepository messages() {
        return stack.context().getBean(MessageRepository.class);
    }

    /** What a send of "a" with clientMessageId c-1 would store at {@code seq}, written straight to the table. */
    private Message storedByAnotherAttempt(String room, long seq) {
        return Message.posted(Ids.messageId(seq), room, seq, "a", List.of(Map.of("type", "text", "text", "first attempt")),
                "first attempt", "c-1", Times.now(), null);
    }

    @Test
    void aRepeatWhileTheFirstAttemptIsInFlight_waitsForIt_andAnswersItsMessage() throws Exception {
        TwoPeople two = twoPeople();
        Api server = two.server();
        String tenant = two.tenant();
        String room = two.room();
        ClientKey key = new ClientKey(room, "a", "c-1");
        // the first attempt has claimed the id for seq 1 and has not stored its message yet
        messages().reserve(tenant, key, new Reservation("first-attempt", 1, Times.now()));
        CompletableFuture<Api.Response> repeat = CompletableFuture.supplyAsync(() -> server.post("/chat/rooms/" + room + "/messages", SEND_C1));
        Thread.sleep(300);
        assertFalse(repeat.isDone());
        Message first = storedByAnotherAttempt(room, 1);
        messages().put(tenant, first, false);

        assertAnswersTheOriginal(server, room, repeat.get(10, TimeUnit.SECONDS), first, 1);
    }

    /** A repeat's answer: 200 and the original, and the room holds no second copy. */
    private static void assertAnswersTheOriginal(Api server, String room, Api.Response answer, Message original, int inRoom) {
        assertEquals(200, answer.status(), answer.raw().body());
        assertEquals(original.id(), answer.body().path("id").asText());
        assertEquals(inRoom, server.get("/chat/rooms/" + room + "/messages").body().path("messages").size());
    }

    @Test
    void aRepeatFindsTheOriginalStoredAFewSeqsPastTheSeqItsClaimNamed() {
        TwoPeople two = twoPeople();
        Api server = two.server();
        String tenant = two.tenant();
        String room = two.room();
        // the first attempt ran on an instance that expected seq 1; two messages of "b" landed there first
        messages().reserve(tenant, new ClientKey(room, "a", "c-1"), new Reservation("first-attempt", 1, Times.now()));
        for (int i = 0; i < 2; i++) {
            assertEquals(201, server.post("/chat/rooms/" + room + "/messages", "{\"senderId\":\"b\",\"parts\":[{\"type\":\"text\",\"text\":\"b\"}]}").status());
        }
        Message first = storedByAnotherAttempt(room, 3);
        messages().put(tenant, first, false);

        assertAnswersTheOriginal(server, room, server.post("/chat/rooms/" + room + "/messages", SEND_C1), first, 3);
    }

    /**
     * An instance that did not store the room's latest messages claims a seq below the one its message gets: the
     * claim stays where it was written (no second write for the send), and a repeat still answers the original.
     */
    @Test
    void aSendFromAnInstanceThatIsBehind_writesItsClaimOnce_andARepeatAnswersTheOriginal() {
        TwoPeople two = twoPeople();
        Api server = two.server();
        String tenant = two.tenant();
        String room = two.room();
        assertEquals(201, server.post("/chat/rooms/" + room + "/messages", "{\"senderId\":\"b\",\"parts\":[{\"type\":\"text\",\"text\":\"one\"}]}").status());
        // seqs 2 and 3 are stored by other instances: this one still expects seq 2
        for (long seq = 2; seq <= 3; seq++) {
            Message other = Message.posted(Ids.messageId(seq), room, seq, "b", List.of(Map.of("type", "text", "text", "elsewhere")),
                    "elsewhere", null, Times.now(), null);
            messages().put(tenant, other, false);
            messages().markNewest(tenant, other, "b");
        }
        String body = "{\"senderId\":\"a\",\"clientMessageId\":\"c-behind\",\"parts\":[{\"type\":\"text\",\"text\":\"hi\"}]}";
        Api.Response sent = server.post("/chat/rooms/" + room + "/messages", body);
        assertEquals(201, sent.status(), sent.raw().body());
        assertEquals(4, sent.body().path("seq").asLong());
        assertEquals(2, messages().reservation(tenant, new ClientKey(room, "a", "c-behind")).orElseThrow().seq(),
                "the claim was not moved to the seq the message got");

        Api.Response repeat = server.post("/chat/rooms/" + room + "/messages", body);
        assertEquals(200, repeat.status(), repeat.raw().body());
        assertEquals(sent.body(), repeat.body());
    }

    @Test
    void aRepeatWhoseFirstAttemptNeverLands_is409InProgress_untilTheClaimIsOld_thenItIsSent() {
        TwoPeople two = twoPeople();
        Api server = two.server();
        String tenant = two.tenant();
        String room = two.room();
        ClientKey key = new ClientKey(room, "a", "c-1");
        messages().reserve(tenant, key, new Reservation("live-attempt", 1, Times.now()));
        Api.Response waited = server.post("/chat/rooms/" + room + "/messages", SEND_C1);
        assertEquals(409, waited.status());
        assertEquals("message_in_progress", waited.code());
        assertEquals(0, server.get("/chat/rooms/" + room + "/messages").body().path("messages").size());

        // a claim older than any function's timeout belongs to an attempt that is over: it is taken over
        messages().release(tenant, key, "live-attempt");
        messages().reserve(tenant, key, new Reservation("dead-attempt", 1, Times.format(Instant.now().minus(Duration.ofMinutes(2)))));
        Api.Response sent = server.post("/chat/rooms/" + room + "/messages", SEND_C1);
        assertEquals(201, sent.status(), sent.raw().body());
        assertEquals(1, sent.body().path("seq").asLong());
        assertEquals(sent.body(), server.post("/chat/rooms/" + room + "/messages", SEND_C1).body());
    }

    @Test
    void aSendRefusedAfterItsClaim_leavesNoClaim_soARetryAfterUnfreezingSends() {
        TwoPeople two = twoPeople();
        Api server = two.server();
        String room = two.room();
        server.send("PATCH", "/chat/rooms/" + room, "{\"isFrozen\":true}");
        assertEquals("room_frozen", server.post("/chat/rooms/" + room + "/messages", SEND_C1).code());
        server.send("PATCH", "/chat/rooms/" + room, "{\"isFrozen\":false}");
        Api.Response sent = server.post("/chat/rooms/" + room + "/messages", SEND_C1);
        assertEquals(201, sent.status(), sent.raw().body());
        assertEquals(1, sent.body().path("seq").asLong());
    }

    @Test
    void aMessageStoredByASenderThatStoppedBeforeMovingTheRoom_isPassedByTheNextSend() {
        TwoPeople two = twoPeople();
        Api server = two.server();
        String tenant = two.tenant();
        String room = two.room();
        assertEquals(201, server.post("/chat/rooms/" + room + "/messages", "{\"senderId\":\"b\",\"parts\":[{\"type\":\"text\",\"text\":\"one\"}]}").status());
        // seq 2 is stored, but its sender died before the room's lastSeq moved to it
        messages().put(tenant, storedByAnotherAttempt(room, 2), false);
        assertEquals(1, server.get("/chat/rooms/" + room).body().path("lastSeq").asLong());

        Api.Response next = server.post("/chat/rooms/" + room + "/messages", "{\"senderId\":\"b\",\"parts\":[{\"type\":\"text\",\"text\":\"three\"}]}");
        assertEquals(3, next.body().path("seq").asLong());
        assertEquals(3, server.get("/chat/rooms/" + room).body().path("lastSeq").asLong());
        assertEquals(List.of(3L, 2L, 1L), stream(server.get("/chat/rooms/" + room + "/messages").body().path("messages"))
                .map(m -> m.path("seq").asLong()).toList());
    }

    /**
     * Sends race a participant going and coming back: every message reaches the participant exactly when it is a
     * member at the message's seq, as the data-membership records in the timeline say.
     */
    @Test
    void sendsDuringMemberChanges_reachTheMemberListCurrentAtTheirSeq() throws Exception {
        Api server = Api.newTenant(stack);
        server.tokenFor("a");
        server.tokenFor("b");
        String carolToken = server.tokenFor("carol");
        String room = server.room("a", "b", "carol");
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try (Socket carol = Socket.open(stack, carolToken)) {
            carol.hello();
            List<CompletableFuture<Void>> work = new ArrayList<>();
            for (String sender : List.of("a", "b")) {
                work.add(CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < 15; i++) {
                        String body = "{\"senderId\":\"" + sender + "\",\"parts\":[{\"type\":\"text\",\"text\":\"" + sender + i + "\"}]}";
                        assertEquals(201, server.post("/chat/rooms/" + room + "/messages", body).status());
                    }
                }, pool));
            }
            work.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 3; i++) {
                    assertEquals(200, server.delete("/chat/rooms/" + room + "/participants/carol").status());
                    assertEquals(200, server.post("/chat/rooms/" + room + "/participants", "{\"userId\":\"carol\"}").status());
                }
            }, pool));
            CompletableFuture.allOf(work.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

            Set<Long> reached = new TreeSet<>();
            for (JsonNode frame : carol.drain(1_000)) {
                JsonNode data = frame.path("data");
                if ("new-message".equals(frame.path("event").asText()) && "text".equals(data.path("parts").get(0).path("type").asText())) {
                    reached.add(data.path("seq").asLong());
                }
            }
            Set<Long> shouldReach = new TreeSet<>();
            boolean member = true;
            List<JsonNode> timeline = stream(server.get("/chat/rooms/" + room + "/messages?limit=100&afterSeq=0").body().path("messages")).toList();
            assertEquals(30 + 6, timeline.size());
            for (JsonNode m : timeline) {
                JsonNode part = m.path("parts").get(0);
                if ("data-membership".equals(part.path("type").asText())) {
                    member = "joined".equals(part.path("data").path("action").asText());
                } else if (member) {
                    shouldReach.add(m.path("seq").asLong());
                }
            }
            assertEquals(shouldReach, reached);
        } finally {
            pool.shutdownNow();
        }
    }

    private static java.util.stream.Stream<JsonNode> stream(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false);
    }
}
