package dev.sendsar.service;

import dev.sendsar.domain.Connection;
import dev.sendsar.domain.Times;
import dev.sendsar.fakes.Services;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A fan-out that meets a socket API Gateway has not opened yet ({@code $connect} stored it, but has not returned)
 * gets a 410 like for a closed one: only the closed one may be forgotten, or the new socket stays open and deaf.
 */
class RealtimePublisherTest {
    private final Services services = new Services();

    private Connection connection(String id, Instant connectedAt) {
        Connection c = new Connection(id, "t1", "alice", null, Times.format(connectedAt), Instant.now().plusSeconds(600).getEpochSecond());
        services.store.connectionRepository.save(c);
        services.store.gone.add(id);
        return c;
    }

    @Test
    void a410ForAConnectionStillInItsConnect_keepsIt_aClosedOneIsForgotten() {
        Connection opening = connection("opening=", Instant.now());
        Connection closedLongAgo = connection("closed=", Instant.now().minus(RealtimePublisher.CONNECT_GRACE).minusSeconds(1));

        services.publisher.publishTo(List.of(opening, closedLongAgo), "new-message", Map.of());

        assertTrue(services.store.connectionRepository.find("opening=").isPresent(), "the socket about to open keeps its record");
        assertTrue(services.store.connectionRepository.find("closed=").isEmpty(), "the closed socket is forgotten");
    }

    private List<String> roomOf(int members) {
        List<String> users = java.util.stream.IntStream.range(0, members).mapToObj(i -> "u-" + i).toList();
        users.forEach(u -> services.store.connectionRepository.save(new Connection("c-" + u, "t1", u, null,
                Times.format(Instant.now()), Instant.now().plusSeconds(600).getEpochSecond())));
        return users;
    }

    private Map<String, Long> postsPerConnection() {
        return services.store.posted.stream().collect(java.util.stream.Collectors.groupingBy(p -> p.split(" ", 2)[0],
                java.util.stream.Collectors.counting()));
    }

    @Test
    void aBigRoom_getsItsFirstHundredMembersFromTheSender_andTheRestInQueuedBatches_eachSocketOnce() {
        List<String> members = roomOf(250);

        services.publisher.deliver(services.publisher.audienceOf("t1", members, "u-0", null), "new-message", Map.of("seq", 7));

        assertEquals(RealtimePublisher.INLINE_MEMBERS, postsPerConnection().size(), "the sender posts to the first 100");
        assertEquals(List.of(100, 50), services.fanOut.queued.stream().map(b -> b.userIds().size()).toList());
        assertEquals(members.subList(100, 250), services.fanOut.queued.stream().flatMap(b -> b.userIds().stream()).toList());
        String frame = services.store.posted.get(0).split(" ", 2)[1];
        assertTrue(services.fanOut.queued.stream().allMatch(b -> b.frame().equals(frame) && b.tenantId().equals("t1")));

        services.fanOut.queued.forEach(services.publisher::deliver); // what the fan-out worker does with each

        assertEquals(250, postsPerConnection().size());
        assertTrue(postsPerConnection().values().stream().allMatch(n -> n == 1), "no socket twice");
    }

    /**
     * A message to a room of 500, posts taking 20 ms as a round trip to API Gateway would: the send's 100 posts, then
     * the fan-out worker's four batches of 100 at once in one instance (on AWS it takes up to 10). Every post at once
     * held its own connection, and those past the kept ones (on AWS a TLS handshake each) were dropped after: 298 at
     * once here before. No more run at once than connections are kept, and they still run side by side.
     */
    @Test
    void postsRunNoMoreAtOnceThanConnectionsAreKept_andEverySocketGetsItsFrame() throws Exception {
        List<String> members = roomOf(500);
        services.store.postMillis = 20; // a round trip to API Gateway
        var audience = services.publisher.audienceOf("t1", members, "u-0", null);
        var batches = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            var sender = batches.submit(() -> services.publisher.deliver(audience, "new-message", Map.of("seq", 3)));
            sender.get();
            List<java.util.concurrent.Future<?>> worker = services.fanOut.queued.stream()
                    .map(b -> batches.submit(() -> services.publisher.deliver(b))).collect(java.util.stream.Collectors.toList());
            for (var batch : worker) {
                batch.get();
            }
        } finally {
            batches.shutdownNow();
        }
        assertEquals(500, postsPerConnection().size());
        assertTrue(postsPerConnection().values().stream().allMatch(n -> n == 1), "no socket twice");
        int most = services.store.mostPostsAtOnce.get();
        assertTrue(most <= RealtimePublisher.POSTS_AT_ONCE, most + " posts at once");
        assertTrue(most >= RealtimePublisher.POSTS_AT_ONCE / 2, "posts run side by side, not in turn: " + most + " at once");
    }

    @Test
    void aBigRoomWhoseBatchesCannotBeQueued_isDeliveredByTheSenderAlone() {
        List<String> members = roomOf(150);
        services.fanOut.refuse = true;

        services.publisher.deliver(services.publisher.audienceOf("t1", members, "u-0", null), "new-message", Map.of("seq", 1));

        assertEquals(150, postsPerConnection().size());
        assertTrue(postsPerConnection().values().stream().allMatch(n -> n == 1));
    }

    @Test
    void theSendersOwnSocket_getsNothing_evenFarDownABigRoom_itsOtherDeviceAndEveryoneElseOnce() {
        List<String> members = roomOf(250);
        String sender = "u-200"; // past the inline part: the sender is moved into it
        services.store.connectionRepository.save(new Connection("c-u-200-phone", "t1", sender, null,
                Times.format(Instant.now()), Instant.now().plusSeconds(600).getEpochSecond()));

        services.publisher.deliver(services.publisher.audienceOf("t1", members, sender, "c-u-200"), "new-message", Map.of());
        services.fanOut.queued.forEach(services.publisher::deliver);

        Map<String, Long> posts = postsPerConnection();
        assertTrue(!posts.containsKey("c-u-200"), "the sending socket has the message from the answer");
        assertEquals(250, posts.size(), "the sender's other device and the 249 others");
        assertTrue(posts.values().stream().allMatch(n -> n == 1));
        assertTrue(services.fanOut.queued.stream().noneMatch(b -> b.userIds().contains(sender)));
    }

    @Test
    void aConnectionIdThatIsNotTheSenders_leavesOutNobody() {
        List<String> members = roomOf(3);
        for (String notTheSenders : List.of("c-u-1", "c-unknown", "x".repeat(200), "")) {
            services.store.posted.clear();

            services.publisher.deliver(services.publisher.audienceOf("t1", members, "u-0", notTheSenders), "new-message", Map.of());

            assertEquals(Map.of("c-u-0", 1L, "c-u-1", 1L, "c-u-2", 1L), postsPerConnection(), notTheSenders);
        }
    }

    @Test
    void aRoomAtTheThreshold_queuesNothing() {
        services.publisher.deliver(services.publisher.audienceOf("t1", roomOf(RealtimePublisher.INLINE_MEMBERS), "u-0", null), "new-message", Map.of());

        assertEquals(RealtimePublisher.INLINE_MEMBERS, postsPerConnection().size());
        assertEquals(List.of(), services.fanOut.queued);
    }
}
