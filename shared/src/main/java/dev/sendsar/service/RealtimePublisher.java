package dev.sendsar.service;

import dev.sendsar.domain.Connection;
import dev.sendsar.json.Json;
import dev.sendsar.ports.ConnectionGateway;
import dev.sendsar.ports.ConnectionRepository;
import dev.sendsar.ports.FanOutQueue;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

/**
 * Delivers server events to every open connection of the given users: connection lookups and posts run in
 * parallel; a connection API Gateway says is gone (410) is forgotten on the spot, unless it is younger than
 * {@link #CONNECT_GRACE}. {@code $connect} stores the connection before API Gateway has opened the socket (it opens
 * it only once {@code $connect} returns, and answers 410 to posts until then), so a 410 for a connection that young
 * means "not open yet": forgetting it would leave its socket open and deaf. Its {@code $disconnect} or its TTL
 * forgets a young connection that really did not open.
 */
@Singleton
public class RealtimePublisher {
    private static final Logger LOG = LoggerFactory.getLogger(RealtimePublisher.class);

    @Serdeable
    public record Frame(String event, Object data) {
    }

    private final ConnectionRepository connections;
    private final ConnectionGateway gateway;
    private final FanOutQueue fanOut;
    private final Json json;
    private final ExecutorService pool;
    /** Permits for the posts running at once ({@link #POSTS_AT_ONCE}). */
    private final Semaphore posting = new Semaphore(POSTS_AT_ONCE);
    /** API Gateway's integration timeout bounds how long {@code $connect} can hold a socket before it opens. */
    static final Duration CONNECT_GRACE = Duration.ofSeconds(30);

    /** {@code pool} runs the parallel lookups and posts: Micronaut's blocking-I/O executor (virtual threads on 21+). */
    public RealtimePublisher(ConnectionRepository connections, ConnectionGateway gateway, FanOutQueue fanOut, Json json,
                             @Named(TaskExecutors.BLOCKING) ExecutorService pool) {
        this.connections = connections;
        this.gateway = gateway;
        this.fanOut = fanOut;
        this.json = json;
        this.pool = pool;
    }

    /** Starts {@code task} on the I/O executor, so a caller can overlap it with its own reads and writes. */
    public <T> CompletableFuture<T> start(java.util.function.Supplier<T> task) {
        return CompletableFuture.supplyAsync(task, pool);
    }

    /** Runs these tasks in parallel on the I/O executor and waits for all; a failure is logged, not thrown. */
    public void inParallel(String what, List<Runnable> tasks) {
        CompletableFuture.allOf(tasks.stream().map(task -> CompletableFuture.runAsync(task, pool)).toArray(CompletableFuture[]::new))
                .exceptionally(e -> {
                    LOG.warn("{} was incomplete: {}", what, e.toString());
                    return null;
                }).join();
    }

    public String frame(String event, Object data) {
        return json.write(new Frame(event, data));
    }

    /** Sends {@code event} to every connection of every user in {@code userIds}; returns when all posts are done. */
    public void publish(String tenantId, Collection<String> userIds, String event, Object data) {
        publishTo(lookUp(tenantId, userIds).join(), event, data);
    }

    /**
     * Starts looking up where to deliver to these users, so a caller can overlap the lookups with its own write:
     * batch reads of up to {@link #USERS_PER_LOOKUP} users' connection sets each, the batches in parallel, so a room
     * of any size costs one batch round trip, not a query per member. A failed lookup counts as no connections: clients recover
     * missed events by seq.
     */
    public CompletableFuture<List<Connection>> lookUp(String tenantId, Collection<String> userIds) {
        List<String> users = List.copyOf(userIds);
        List<CompletableFuture<List<Connection>>> each = new java.util.ArrayList<>();
        for (int from = 0; from < users.size(); from += USERS_PER_LOOKUP) {
            List<String> batch = users.subList(from, Math.min(users.size(), from + USERS_PER_LOOKUP));
            each.add(CompletableFuture.supplyAsync(() -> connections.reachable(tenantId, batch), pool)
                    .exceptionally(e -> {
                        LOG.warn("Connection lookup failed: {}", e.toString());
                        return List.of();
                    }));
        }
        return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
                .thenApply(done -> each.stream().flatMap(f -> f.join().stream()).toList());
    }

    /** Users per connection lookup: one DynamoDB batch read holds 100 keys. */
    static final int USERS_PER_LOOKUP = 100;

    /**
     * Sends {@code event} to exactly these connections: the first on this thread (no hand-off for the common single
     * recipient), the others in parallel. Never throws: a failed post is logged and the client recovers by seq.
     */
    public void publishTo(Collection<Connection> targets, String event, Object data) {
        if (!targets.isEmpty()) {
            postAll(targets, frame(event, data), event);
        }
    }

    /**
     * Posts one frame to these connections: this thread and up to {@link #POSTS_AT_ONCE} - 1 helpers on the I/O executor
     * take them in turn (a single recipient is posted to on this thread, with no hand-off). Never throws: failed posts
     * are logged and the clients recover by seq. Returns the users at least one of whose sockets took the frame.
     */
    private Set<String> postAll(Collection<Connection> targets, String frame, String what) {
        if (targets.isEmpty()) {
            return Set.of();
        }
        List<Connection> all = List.copyOf(targets);
        Set<String> reached = java.util.concurrent.ConcurrentHashMap.newKeySet();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicReference<RuntimeException> firstFailure = new AtomicReference<>();
        Runnable drain = () -> {
            for (int i = next.getAndIncrement(); i < all.size(); i = next.getAndIncrement()) {
                try {
                    if (post(all.get(i), frame)) {
                        reached.add(all.get(i).userId());
                    }
                } catch (RuntimeException e) {
                    failed.incrementAndGet();
                    firstFailure.compareAndSet(null, e);
                }
            }
        };
        CompletableFuture<?>[] helpers = IntStream.range(1, Math.min(all.size(), POSTS_AT_ONCE))
                .mapToObj(h -> CompletableFuture.runAsync(drain, pool)).toArray(CompletableFuture[]::new);
        drain.run();
        CompletableFuture.allOf(helpers).join();
        if (failed.get() > 0) {
            LOG.warn("Delivery of {} failed for {} of {} connections: {}", what, failed.get(), all.size(), firstFailure.get().toString());
        }
        return reached;
    }

    /**
     * Members a message's sender delivers to itself; in a room with more, the others are delivered by the fan-out
     * worker, in queued batches of as many, so a send's cost on the request path stops growing with the room.
     */
    public static final int INLINE_MEMBERS = USERS_PER_LOOKUP;

    /**
     * Posts at once in this instance, across all its sends and batches: as many as connections are kept for reuse
     * ({@code LambdaJvm.KEEP_ALIVE_CONNECTIONS}), so no post opens a connection (on AWS a TLS handshake) only to drop
     * it after. A send posts to up to {@link #INLINE_MEMBERS} members' sockets (more when members have several), the
     * fan-out worker to 10 batches of 100 members at once: all at once, they opened one connection per post past the
     * kept ones.
     */
    public static final int POSTS_AT_ONCE = INLINE_MEMBERS;

    /** Who gets a room's event: the first {@link #INLINE_MEMBERS} members, being looked up; the rest, to be queued. */
    public record Audience(String tenantId, CompletableFuture<List<Connection>> near, List<String> far) {
    }

    /**
     * Starts looking up the near part of the room's audience, so a caller can overlap it with its own write.
     * {@code senderConnectionId} names the sending device's own socket, which has the message from the send's answer
     * and so is not posted to (Pusher's {@code socket_id} on trigger): one post fewer per send. It only ever leaves out
     * a connection of {@code senderId} in this tenant, found in the lookup itself: an id of somebody else's
     * connection, an unknown, malformed or over-long one leaves out nothing, so it can never hide a message from
     * anyone. The sender is always in the near part, so no queued batch needs to know about it.
     */
    public Audience audienceOf(String tenantId, List<String> memberIds, String senderId, String senderConnectionId) {
        String skipped = isConnectionId(senderConnectionId) && memberIds.contains(senderId) ? senderConnectionId : null;
        List<String> members = memberIds;
        if (skipped != null && memberIds.indexOf(senderId) >= INLINE_MEMBERS) {
            members = new java.util.ArrayList<>(memberIds.size());
            members.add(senderId);
            memberIds.stream().filter(id -> !id.equals(senderId)).forEach(members::add);
        }
        int near = Math.min(INLINE_MEMBERS, members.size());
        CompletableFuture<List<Connection>> found = lookUp(tenantId, members.subList(0, near));
        if (skipped != null) {
            found = found.thenApply(all -> all.stream()
                    .filter(c -> !(c.connectionId().equals(skipped) && c.userId().equals(senderId))).toList());
        }
        return new Audience(tenantId, found, List.copyOf(members.subList(near, members.size())));
    }

    /** API Gateway's connection ids are 16 characters; anything longer than any id we keep is not one. */
    static boolean isConnectionId(String id) {
        return id != null && !id.isBlank() && id.length() <= MAX_CONNECTION_ID_LENGTH;
    }

    static final int MAX_CONNECTION_ID_LENGTH = 128;

    /**
     * Delivers {@code event} to the audience: the far part's batches are queued while the near part is posted to
     * here; batches the queue did not take are delivered here as well. Never throws (clients recover by seq). Returns
     * the users posted to here at least one of whose sockets took the frame (none of the queued batches' users).
     */
    public Set<String> deliver(Audience audience, String event, Object data) {
        String frame = frame(event, data);
        CompletableFuture<List<FanOutQueue.Batch>> notQueued = audience.far().isEmpty()
                ? CompletableFuture.completedFuture(List.of())
                : CompletableFuture.supplyAsync(() -> fanOut.enqueue(batches(audience.tenantId(), frame, audience.far())), pool)
                .exceptionally(e -> batches(audience.tenantId(), frame, audience.far()));
        Set<String> reached = postAll(audience.near().join(), frame, event);
        List<String> left = notQueued.join().stream().flatMap(b -> b.userIds().stream()).toList();
        if (!left.isEmpty()) {
            LOG.warn("{} users of a big room could not be queued for fan-out; delivering to them here", left.size());
            reached = new java.util.HashSet<>(reached);
            reached.addAll(postAll(lookUp(audience.tenantId(), left).join(), frame, event));
        }
        return reached;
    }

    private static List<FanOutQueue.Batch> batches(String tenantId, String frame, List<String> userIds) {
        List<FanOutQueue.Batch> batches = new java.util.ArrayList<>();
        for (int from = 0; from < userIds.size(); from += USERS_PER_LOOKUP) {
            batches.add(new FanOutQueue.Batch(tenantId, frame,
                    List.copyOf(userIds.subList(from, Math.min(userIds.size(), from + USERS_PER_LOOKUP)))));
        }
        return batches;
    }

    /**
     * The fan-out worker's part: one queued batch. A failed lookup throws before anything is posted, so the batch is
     * received again without a frame twice; failed posts are not retried (clients recover by seq).
     */
    public void deliver(FanOutQueue.Batch batch) {
        postAll(connections.reachable(batch.tenantId(), batch.userIds()), batch.frame(), "a fan-out batch");
    }

    /**
     * Sends one frame to the connection a client frame came from (so its socket is open), forgetting the connection
     * if it is gone.
     */
    public void send(String connectionId, String event, Object data) {
        if (!gatewayPost(connectionId, frame(event, data))) {
            connections.delete(connectionId);
        }
    }

    /** One post; false, and the connection forgotten unless it is still opening, if the socket is gone. */
    private boolean post(Connection c, String frame) {
        if (gatewayPost(c.connectionId(), frame)) {
            return true;
        }
        if (!isOpening(c, Instant.now())) {
            connections.forget(c);
        }
        return false;
    }

    /** One post, holding one of the {@link #POSTS_AT_ONCE} permits while it runs; false if the socket is gone. */
    private boolean gatewayPost(String connectionId, String frame) {
        posting.acquireUninterruptibly();
        try {
            return gateway.post(connectionId, frame);
        } finally {
            posting.release();
        }
    }

    /** Closes the socket; its {@code $disconnect} follows. */
    public void close(String connectionId) {
        gateway.close(connectionId);
    }

    /** Whether API Gateway says the socket is gone (a connection still opening is not). */
    public boolean isGone(Connection c) {
        return !isOpening(c, Instant.now()) && !gateway.isOpen(c.connectionId());
    }

    /** Whether a 410 for this connection may only mean its {@code $connect} has not returned yet. */
    static boolean isOpening(Connection c, Instant now) {
        return c.connectedAt() != null && Instant.parse(c.connectedAt()).plus(CONNECT_GRACE).isAfter(now);
    }

}
