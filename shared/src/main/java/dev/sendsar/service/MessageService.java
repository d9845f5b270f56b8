package dev.sendsar.service;

import dev.sendsar.error.ErrorCode;
import dev.sendsar.domain.Caller;
import dev.sendsar.domain.Ids;
import dev.sendsar.domain.LastMessage;
import dev.sendsar.domain.Member;
import dev.sendsar.domain.Message;
import dev.sendsar.domain.RateLimitedAction;
import dev.sendsar.domain.Retries;
import dev.sendsar.domain.Room;
import dev.sendsar.domain.Times;
import dev.sendsar.dynamo.Cursors;
import dev.sendsar.error.ApiException;
import dev.sendsar.error.Violations;
import dev.sendsar.json.Json;
import dev.sendsar.ports.MessageRepository;
import dev.sendsar.ports.MessageRepository.ClientKey;
import dev.sendsar.ports.MessageRepository.PutResult;
import dev.sendsar.ports.MessageRepository.Reservation;
import dev.sendsar.ports.NewMessageSubscribers;
import dev.sendsar.ports.RoomRepository;
import io.micronaut.serde.annotation.Serdeable;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Sending and reading messages. */
@Singleton
public class MessageService {
    private static final Logger LOG = LoggerFactory.getLogger(MessageService.class);
    static final int MAX_PARTS = 20;
    static final int MAX_TEXT = 8_000;
    static final int MAX_MESSAGE_JSON_BYTES = 64 * 1024;
    static final int PREVIEW_CHARS = 200;
    static final int MAX_FILE_PARTS = 10;
    /**
     * A message's events ({@code new-message}, {@code message-updated}) must fit API Gateway's 128 KB WebSocket frame:
     * the stored message plus an allowance for each file part's access URL (a presigned URL with a session token and
     * the filename) stays within this, with room for the frame's envelope. Growth past it is refused.
     */
    static final int MAX_MESSAGE_EVENT_BYTES = 120 * 1024;
    static final int ACCESS_URL_ALLOWANCE_BYTES = 3 * 1024;
    /** Seqs one send tries at most (each refusal hands back the next): this bounds a pathological hot room. */
    static final int MAX_ATTEMPTS = 100;
    /** How long, in all, a repeat of a {@code clientMessageId} waits for the first attempt to land (then 409). */
    static final Duration IN_FLIGHT_WAIT = Duration.ofSeconds(3);
    /**
     * A claim on a {@code clientMessageId} older than this belongs to an attempt that is over, and may be taken over:
     * longer than the timeout of every function that sends (API routes 10 s, workers that post call records 30 s;
     * infra-cdk's RouteFunction and RouteTable), with room for clocks that differ a little.
     */
    static final Duration CLAIM_LIFETIME = Duration.ofSeconds(60);

    @Serdeable
    public record SendMessageRequest(List<Map<String, Object>> parts, String clientMessageId, String parentMessageId,
                                     String senderId) {
        SendMessageRequest withParts(List<Map<String, Object>> newParts) {
            return new SendMessageRequest(newParts, clientMessageId, parentMessageId, senderId);
        }
    }

    public record Sent(Message message, boolean created) {
    }

    @Serdeable
    public record MessagePage(List<Message> messages, String nextCursor, String peerLastReadAt, String peerLastDeliveredAt) {
    }

    private final RoomRepository rooms;
    private final MessageRepository messages;
    private final RealtimePublisher publisher;
    private final Json json;
    private final RateLimitService rateLimits;
    private final UploadService uploads;
    private final NewMessageSubscribers subscribers;
    /**
     * Rooms this instance wrote to lately: their member list and a seq known to exist, checked against the room item
     * on every send (see {@link #current}).
     */
    private final Cache<String, Room> recentRooms = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(Duration.ofMinutes(5)).build();

    public MessageService(RoomRepository rooms, MessageRepository messages, RealtimePublisher publisher, Json json,
                          RateLimitService rateLimits, UploadService uploads, NewMessageSubscribers subscribers) {
        this.rooms = rooms;
        this.messages = messages;
        this.publisher = publisher;
        this.json = json;
        this.rateLimits = rateLimits;
        this.uploads = uploads;
        this.subscribers = subscribers;
    }

    /**
     * A retry of a stored {@code clientMessageId} answers the original whatever changed since (the sender left, the
     * room froze, the limit is used up): the original is looked up only when the send is refused, so a first send
     * pays nothing for it.
     */
    public Sent send(Caller caller, String roomId, SendMessageRequest request) {
        return send(caller, roomId, request, null);
    }

    /** {@code senderConnectionId}: the sending device's own socket, which gets no event (see RealtimePublisher#audienceOf). */
    public Sent send(Caller caller, String roomId, SendMessageRequest request, String senderConnectionId) {
        if (request == null) {
            throw ApiException.missingBody();
        }
        String senderId = caller.requireActingAs(request.senderId(), "senderId");
        try {
            return sendAs(caller, roomId, senderId, request, senderConnectionId);
        } catch (ApiException refused) {
            String clientMessageId = request.clientMessageId();
            if (clientMessageId == null || clientMessageId.isBlank() || clientMessageId.length() > 128) {
                throw refused;
            }
            String tenantId = caller.tenantId();
            return messages.findByClientMessageId(tenantId, new ClientKey(roomId, senderId, clientMessageId))
                    .map(original -> new Sent(asShown(tenantId, original), false))
                    .orElseThrow(() -> refused);
        }
    }

    /**
     * The use is counted against the sender's limit beside the claim and the room read, not before them: a session
     * user's count is a write of its own (see RateLimitService), one more DynamoDB round trip in front of every send
     * otherwise. Nothing but the claim is written before the count has allowed the send.
     */
    private Sent sendAs(Caller caller, String roomId, String senderId, SendMessageRequest request, String senderConnectionId) {
        CompletableFuture<Void> allowed = publisher.start(() -> {
            rateLimits.check(caller, senderId, RateLimitedAction.SEND_MESSAGE);
            return null;
        });
        request = request.withParts(withoutServerFields(request.parts()));
        validate(request);
        return deliver(caller, roomId, Draft.of(senderId, request.parts(), request.clientMessageId(),
                request.parentMessageId()), null, senderConnectionId, allowed);
    }

    /** A message about to be stored: what the sender wrote, or a forward's copy, or a call record. */
    record Draft(String senderId, List<Map<String, Object>> parts, String clientMessageId, String parentMessageId,
                 Message.ParentPreview parent, String forwardedFromId, String forwardedFromSenderId, boolean serverRecord) {

        static Draft of(String senderId, List<Map<String, Object>> parts, String clientMessageId, String parentMessageId) {
            return new Draft(senderId, parts, clientMessageId, parentMessageId, null, null, null, false);
        }

        Draft withParent(Message.ParentPreview preview) {
            return new Draft(senderId, parts, clientMessageId, parentMessageId, preview, forwardedFromId,
                    forwardedFromSenderId, serverRecord);
        }

        Message at(String roomId, long seq, String preview) {
            // the id carries the seq (one read finds a message by id), so each seq tried has its own
            return new Message(Ids.messageId(seq), roomId, seq, senderId, parts, preview, clientMessageId, Times.now(), null,
                    null, false, List.of(), parentMessageId, parent, null, null, forwardedFromId, forwardedFromSenderId);
        }
    }

    /**
     * Stores the message at the room's next seq and delivers {@code new-message} to every participant. The seq is
     * the fence: one conditional put at the seq after one known to exist; a refusal hands back the message that
     * took the seq, and the send tries the one after it, re-reading the member list when that message is a
     * membership record (a change of the list and its record commit together, see RoomRepository#addMember). With a
     * {@code clientMessageId} a claim on it is put first (see {@link #awaitOriginal}). {@code fresh} is the room
     * as just read, or null: then the room item is read now, beside the claim and the connections of the members
     * this instance remembers. A server record goes into frozen rooms too and its sender need not be a member.
     * {@code caller} only decides how a refusal is worded. {@code allowed}: the sender's rate limit, counted
     * meanwhile (null when counted before); a refusal of it drops the claim and stores nothing.
     */
    Sent deliver(Caller caller, String roomId, Draft draft, Room fresh, String senderConnectionId, CompletableFuture<Void> allowed) {
        String tenantId = caller.tenantId();
        Room known = fresh != null ? fresh : recentRooms.getIfPresent(cacheKey(tenantId, roomId));
        ClientKey claimKey = draft.clientMessageId() == null ? null : new ClientKey(roomId, draft.senderId(), draft.clientMessageId());
        Reservation mine = claimKey == null ? null
                : new Reservation(Ids.uuid(), known == null ? 0 : known.lastSeq() + 1, Times.now());
        // the room as it is now, the claim, and who to tell are read and written at once
        CompletableFuture<Optional<Room>> now = fresh != null ? CompletableFuture.completedFuture(Optional.of(fresh))
                : publisher.start(() -> known != null ? rooms.head(tenantId, roomId) : rooms.find(tenantId, roomId));
        RealtimePublisher.Audience audience = known == null ? null
                : publisher.audienceOf(tenantId, known.memberIds(), draft.senderId(), senderConnectionId);
        CompletableFuture<Boolean> subscribed = publisher.start(() -> subscribers.wantNewMessages(tenantId));
        if (claimKey != null) {
            Optional<Reservation> held = messages.reserve(tenantId, claimKey, mine);
            if (held.isPresent()) {
                Optional<Sent> original = awaitOriginal(tenantId, claimKey, held.get(), mine);
                if (original.isPresent()) {
                    return original.get();
                }
            }
        }
        Room room;
        try {
            if (allowed != null) {
                join(allowed);
            }
            room = current(tenantId, known, fresh != null, join(now).orElseThrow(RoomService::roomNotFound));
            if (!draft.serverRecord()) {
                authorize(caller, room, draft.senderId());
            }
            if (draft.parentMessageId() != null && draft.parent() == null) {
                Message p = messages.findById(tenantId, roomId, draft.parentMessageId())
                        .orElseThrow(() -> new ApiException(ErrorCode.VALIDATION_FAILED, "The request is not valid",
                                List.of(new dev.sendsar.error.FieldError("parentMessageId", "is not a message of this room"))));
                draft = draft.withParent(parentPreview(p));
            }
            uploads.checkShareable(tenantId, draft.senderId(), draft.parts());
        } catch (RuntimeException refused) {
            release(tenantId, claimKey, mine); // nothing was put yet: a retry is a new send
            throw refused;
        }
        if (audience == null || !room.memberIds().equals(known.memberIds())) {
            audience = publisher.audienceOf(tenantId, room.memberIds(), draft.senderId(), senderConnectionId);
        }
        String preview = previewOf(draft.parts());
        long claimedSeq = mine == null ? 0 : mine.seq();
        // the sender of the message before the seq tried: the room item's move is chosen for it (see markNewest)
        String previousSender = room.lastMessage() == null ? null : room.lastMessage().senderId();
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            long seq = room.lastSeq() + 1;
            // a repeat seeks the message in its claim's window (MessageRepository#CLAIM_WINDOW): a put past it moves
            // the claim first
            if (mine != null && seq - Math.max(1, claimedSeq) > MessageRepository.CLAIM_WINDOW) {
                if (!messages.moveReservation(tenantId, claimKey, mine.owner(), seq)) {
                    throw Retries.busy(ErrorCode.ROOM_BUSY, "The room is too busy right now; retry with the same clientMessageId");
                }
                claimedSeq = seq;
            }
            Message candidate = draft.at(roomId, seq, preview);
            boolean quiet = quiet(room, candidate, audience, subscribed);
            PutResult result = messages.put(tenantId, candidate, quiet);
            if (result instanceof PutResult.Stored) {
                recentRooms.put(cacheKey(tenantId, roomId), room.withLastMessage(LastMessage.of(candidate)));
                // only now, with the message stored, may the room read its files: a refused send shares nothing
                shareFiles(tenantId, roomId, draft.parts());
                Message sent = uploads.withAccessUrls(tenantId, candidate); // its parent was read just now
                afterCommit(tenantId, room, sent, previousSender, audience, quiet);
                return new Sent(sent, true);
            }
            Message occupant = ((PutResult.Taken) result).occupant();
            room = room.withState(occupant.seq(), room.frozen());
            previousSender = occupant.senderId();
            if (isMembershipRecord(occupant)) {
                // the member list changed at this seq: what follows goes to the list as it is now
                List<String> before = room.memberIds();
                Room changed = rooms.find(tenantId, roomId).orElseThrow(RoomService::roomNotFound);
                room = changed.withState(Math.max(changed.lastSeq(), occupant.seq()), changed.frozen());
                if (!draft.serverRecord()) {
                    try {
                        authorize(caller, room, draft.senderId());
                    } catch (ApiException refused) {
                        release(tenantId, claimKey, mine);
                        throw refused;
                    }
                }
                if (!room.memberIds().equals(before)) {
                    audience = publisher.audienceOf(tenantId, room.memberIds(), draft.senderId(), senderConnectionId);
                }
            }
            yieldToSeniors(attempt + 1);
        }
        release(tenantId, claimKey, mine);
        throw Retries.busy(ErrorCode.ROOM_BUSY, "The room is too busy right now; retry with the same clientMessageId");
    }

    /**
     * Whether the message may be stored {@link dev.sendsar.dynamo.TableKeys#QUIET}, so that its stream record invokes
     * no event router: no webhook of the tenant wants new messages, and every recipient has a socket this send posts
     * to, so the router would queue push jobs that push nothing (a push goes only to a recipient with no socket, see
     * PushService#deliver). A membership record, a room bigger than one send's posts, or a lookup that failed is never
     * quiet. The connections are those the send posts to after the put; the webhook's wish is the warm function's
     * (as the router's is, see WebhookConfigs).
     */
    static boolean quiet(Room room, Message message, RealtimePublisher.Audience audience, CompletableFuture<Boolean> subscribed) {
        if (!audience.far().isEmpty() || isMembershipRecord(message)) {
            return false;
        }
        try {
            if (subscribed.join()) {
                return false;
            }
            java.util.Set<String> found = new java.util.HashSet<>();
            audience.near().join().forEach(c -> found.add(c.userId()));
            return everyRecipientIn(room, message, found);
        } catch (RuntimeException lookupFailed) {
            return false;
        }
    }

    /** Whether every member of the room but the message's sender is one of {@code users}. */
    private static boolean everyRecipientIn(Room room, Message message, java.util.Set<String> users) {
        return room.memberIds().stream().allMatch(id -> id.equals(message.senderId()) || users.contains(id));
    }

    /** A sender that lost this many seq races in a row goes again at once (see {@link #yieldToSeniors}). */
    static final int SENIOR_LOSSES = 6;

    /**
     * Fairness between senders racing for a busy room's next seq: after a lost race a sender waits a little, less the
     * more races it has lost, so those that have waited longest try the next seq first. Without it every loser retries
     * at once, each wins a race with the same chance, and one sender can lose many in a row (the p99 of a busy room).
     */
    private static void yieldToSeniors(int losses) {
        if (losses < SENIOR_LOSSES) {
            pause(2L * (SENIOR_LOSSES - losses) + java.util.concurrent.ThreadLocalRandom.current().nextInt(2));
        }
    }

    /**
     * The room to send to: {@code now} when it was just read whole; else the remembered room, its seq and frozen
     * state brought up to {@code now} (the room item alone), or read again whole when its member list moved since.
     */
    private Room current(String tenantId, Room known, boolean fresh, Room now) {
        if (known == null || fresh) {
            return now;
        }
        if (now.membersVersion() != known.membersVersion()) {
            return rooms.find(tenantId, now.id()).orElseThrow(RoomService::roomNotFound);
        }
        // the remembered seq may be past the room item's (which moves after each message is stored)
        return now.lastSeq() >= known.lastSeq() ? known.withHead(now) : known.withState(known.lastSeq(), now.frozen());
    }

    private static void authorize(Caller caller, Room room, String senderId) {
        if (!room.hasMember(senderId)) {
            throw notParticipant(caller);
        }
        if (room.frozen()) {
            throw roomFrozen();
        }
    }

    static boolean isMembershipRecord(Message message) {
        return message.parts().stream().anyMatch(p -> p != null && "data-membership".equals(p.get("type")));
    }

    /**
     * Another attempt holds the claim on this {@code clientMessageId}: its message, once stored, is in the claim's
     * window (see MessageRepository#CLAIM_WINDOW). Waits up to {@link #IN_FLIGHT_WAIT} for it to land, then
     * answers 409 {@code message_in_progress}. Empty when the claim became this attempt's: the holder dropped it
     * (its send was refused), or it is older than {@link #CLAIM_LIFETIME} (its function is over) and was taken over.
     */
    private Optional<Sent> awaitOriginal(String tenantId, ClientKey key, Reservation held, Reservation mine) {
        long deadline = System.nanoTime() + IN_FLIGHT_WAIT.toNanos();
        long pauseMillis = 20;
        while (true) {
            Optional<Message> original = messages.findClaimed(tenantId, key, held);
            if (original.isPresent()) {
                shareFiles(tenantId, key.roomId(), original.get().parts()); // heals a first attempt that stopped before sharing
                return Optional.of(new Sent(asShown(tenantId, original.get()), false));
            }
            // timestamps sort as strings
            boolean over = held.owner() != null
                    && held.attemptAt().compareTo(Times.format(java.time.Instant.now().minus(CLAIM_LIFETIME))) < 0;
            if (over && messages.takeOver(tenantId, key, held, mine)) {
                return Optional.empty();
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new ApiException(ErrorCode.MESSAGE_IN_PROGRESS,
                        "A message with this clientMessageId is being sent right now; retry with the same clientMessageId");
            }
            pause(Math.min(pauseMillis, Duration.ofNanos(left).toMillis() + 1));
            pauseMillis = Math.min(pauseMillis * 2, 500);
            Optional<Reservation> again = messages.reservation(tenantId, key);
            if (again.isEmpty()) {
                Optional<Reservation> other = messages.reserve(tenantId, key, mine);
                if (other.isEmpty()) {
                    return Optional.empty();
                }
                again = other;
            }
            held = again.get();
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Drops this attempt's claim after a refusal, so a retry is a new send; a failure leaves it to expire. */
    private void release(String tenantId, ClientKey key, Reservation mine) {
        if (key == null) {
            return;
        }
        try {
            messages.release(tenantId, key, mine.owner());
        } catch (RuntimeException e) {
            LOG.warn("Dropping the claim of a refused send in room {} failed: {}", key.roomId(), e.toString());
        }
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** {@code clientMessageId}s with this prefix are the server's own (see {@link #postRecord}); clients may not use them. */
    public static final String RECORD_ID_PREFIX = "sendsar:";

    /**
     * Posts a message only the server writes (a call's history record) into the room, at most once per
     * {@code recordId}: a repeat finds the first one (and tells nobody again). Like a membership record it goes into
     * frozen rooms too, and its sender need not be a member any more. {@code room} names the room; it is read again.
     */
    public Sent postRecord(String tenantId, Room room, String senderId, Map<String, Object> part, String recordId) {
        // the server itself, acting with its tenant's rights (no API key of the tenant is involved)
        return deliver(Caller.apiKey(tenantId, null), room.id(), new Draft(senderId, List.of(part), RECORD_ID_PREFIX + recordId,
                null, null, null, null, true), null, null, null);
    }

    /**
     * The message is durable: telling the participants, and moving the room's {@code lastSeq} and preview to it,
     * which also names the sender as having read through it (whoever writes has read what came before; see
     * MessageRepository#markNewest: the sender's cursor is written only when the room item cannot name it), may fail
     * but must not turn the answer into an error (a client would resend). Clients recover a missed event by seq; a
     * room item left behind (or a crash before this) is passed by the next send, which climbs from there; a sender
     * the room item never named sees its own message as unread until its next read or send. Both run in parallel
     * and are done before the answer (a function may be frozen right after it). {@code previousSender}: who the send
     * believes sent the message before this one.
     */
    private void afterCommit(String tenantId, Room room, Message sent, String previousSender, RealtimePublisher.Audience audience,
                             boolean quiet) {
        publisher.inParallel("After storing message " + sent.id() + ", fan-out or the room's last seq", List.of(
                () -> {
                    java.util.Set<String> reached = publisher.deliver(audience, "new-message", sent);
                    if (quiet && !everyRecipientIn(room, sent, reached)) {
                        // a recipient's socket was gone after all: the router is to see the message (push) as if it
                        // had not been quiet
                        messages.unquiet(tenantId, sent);
                    }
                },
                () -> messages.markNewest(tenantId, sent, previousSender)));
    }

    /**
     * The record of a member-list change, for the seq the change's transaction gives it (see RoomRepository#addMember):
     * sent by the actor, or by the target user when acting on itself or with the API key.
     */
    static java.util.function.LongFunction<Message> membershipRecord(Caller caller, String roomId, String action, String targetUserId) {
        String actor = caller.isUser() ? caller.userId() : null;
        String sender = actor != null && !actor.equals(targetUserId) ? actor : targetUserId;
        Map<String, Object> data = new java.util.LinkedHashMap<>();
        data.put("action", action);
        data.put("actorUserId", actor);
        data.put("targetUserId", targetUserId);
        List<Map<String, Object>> parts = List.of(Map.of("type", "data-membership", "data", data));
        Draft draft = new Draft(sender, parts, null, null, null, null, null, true);
        return seq -> draft.at(roomId, seq, previewOf(parts));
    }

    /** Tells the room's participants (the list after the change) about a stored membership record. */
    void published(String tenantId, Room room, Message record) {
        publisher.deliver(publisher.audienceOf(tenantId, room.memberIds(), null, null), "new-message", record);
    }

    /**
     * Lets the room read the files of a stored message. A failure leaves the message durable with {@code accessUrl:
     * null} in its file parts; a retry of the send (same {@code clientMessageId}) or an edit shares them again.
     */
    void shareFiles(String tenantId, String roomId, List<Map<String, Object>> parts) {
        try {
            uploads.shareWithRoom(tenantId, roomId, parts);
        } catch (RuntimeException e) {
            LOG.warn("Sharing the files of a message with room {} failed: {}", roomId, e.toString());
        }
    }

    public MessagePage list(Caller caller, String roomId, String viewerId, String cursor, Integer limit, Long afterSeq) {
        int pageSize = Paging.limit(limit);
        String viewer = caller.actingAs(viewerId);
        String tenantId = caller.tenantId();
        Room room = viewer == null ? rooms.find(tenantId, roomId).orElseThrow(RoomService::roomNotFound)
                : authorizedRoom(caller, roomId, viewer);
        new Violations().check(afterSeq == null || afterSeq >= 0, "afterSeq", "must be 0 or more").throwIfAny();
        List<Member> members = viewer == null ? List.of() : rooms.members(tenantId, room.id());
        // what the viewer cleared for itself stays out of its history
        long cleared = members.stream().filter(m -> m.userId().equals(viewer)).mapToLong(Member::clearedThroughSeq).findFirst().orElse(0);
        List<Message> page;
        String next;
        Position position = cursor != null ? Position.parse(cursor)
                : afterSeq != null ? new Position(true, afterSeq) : null;
        // a page may be short of the limit and still go on (large messages): only the slice knows where history ends
        if (position != null && position.forward()) {
            MessageRepository.Slice slice = messages.after(tenantId, roomId, Math.max(position.seq(), cleared), pageSize);
            page = slice.messages();
            next = !slice.more() || page.isEmpty() ? null : new Position(true, page.get(page.size() - 1).seq()).encode();
        } else {
            MessageRepository.Slice slice = messages.before(tenantId, roomId, position == null ? null : position.seq(), pageSize);
            page = slice.messages().stream().filter(m -> m.seq() > cleared).toList();
            long last = page.isEmpty() ? 1 : page.get(page.size() - 1).seq();
            next = !slice.more() || last <= cleared + 1 ? null : new Position(false, last).encode();
        }
        String peerRead = null;
        String peerDelivered = null;
        for (Member m : members) {
            if (!m.userId().equals(viewer)) {
                peerRead = latest(peerRead, m.readIn(room).lastReadAt());
                peerDelivered = latest(peerDelivered, m.lastDeliveredAt());
            }
        }
        return new MessagePage(asShown(tenantId, page), next, peerRead, peerDelivered);
    }

    /** Where a message page continues: after a seq (oldest first) or before it (newest first). */
    private record Position(boolean forward, long seq) {
        String encode() {
            return Cursors.encode((forward ? "a:" : "b:") + seq);
        }

        static Position parse(String cursor) {
            String text = Cursors.decode(cursor);
            if (text.length() < 3 || (text.charAt(0) != 'a' && text.charAt(0) != 'b') || text.charAt(1) != ':') {
                throw Cursors.invalid();
            }
            try {
                return new Position(text.charAt(0) == 'a', Long.parseLong(text.substring(2)));
            } catch (NumberFormatException e) {
                throw Cursors.invalid();
            }
        }
    }

    /** Parts of a parent embedded in a reply only up to this much JSON, so a reply's event stays small. */
    static final int MAX_PARENT_PARTS_JSON_BYTES = 2 * 1024;

    /**
     * What a reply shows of its parent: id, sender, {@code previewText} (at most 200 characters) and whether it is
     * deleted; its parts only when they are small ({@link #MAX_PARENT_PARTS_JSON_BYTES}), else none.
     */
    Message.ParentPreview parentPreview(Message parent) {
        List<Map<String, Object>> parts = parent.parts();
        boolean small = json.write(parts).getBytes(StandardCharsets.UTF_8).length <= MAX_PARENT_PARTS_JSON_BYTES;
        return new Message.ParentPreview(parent.id(), parent.senderId(), small ? parts : List.of(), parent.previewText(),
                parent.deletedAt() != null);
    }

    /**
     * Messages as readers see them now: file parts with fresh download URLs (see {@link UploadService#withAccessUrls})
     * and each reply's {@code parentMessage} as the parent is now (edited, deleted), resolved at read time: an edit
     * would otherwise have to find and rewrite every reply. Parents outside the page cost one batch read.
     */
    Message asShown(String tenantId, Message message) {
        return asShown(tenantId, List.of(message)).get(0);
    }

    List<Message> asShown(String tenantId, List<Message> page) {
        return uploads.withAccessUrls(tenantId, withCurrentParents(tenantId, page));
    }

    private List<Message> withCurrentParents(String tenantId, List<Message> page) {
        Map<String, Message> parents = new java.util.HashMap<>();
        page.forEach(m -> parents.put(m.id(), m));
        Map<String, java.util.Set<String>> missingByRoom = new java.util.HashMap<>();
        for (Message m : page) {
            if (m.parentMessageId() != null && !parents.containsKey(m.parentMessageId())) {
                missingByRoom.computeIfAbsent(m.roomId(), r -> new java.util.LinkedHashSet<>()).add(m.parentMessageId());
            }
        }
        missingByRoom.forEach((roomId, ids) -> parents.putAll(messages.findByIds(tenantId, roomId, ids)));
        return page.stream().map(m -> {
            Message parent = m.parentMessageId() == null ? null : parents.get(m.parentMessageId());
            return parent == null ? m : m.withParent(parentPreview(parent));
        }).toList();
    }

    private static String latest(String a, String b) {
        if (a == null) return b;
        if (b == null) return a;
        return a.compareTo(b) >= 0 ? a : b;
    }

    /**
     * The room, if {@code userId} is in it. A JWT caller that is not in the room gets the 404 a missing room gets;
     * an API key naming a non-participant gets a 403.
     */
    Room authorizedRoom(Caller caller, String roomId, String userId) {
        Room room = rooms.find(caller.tenantId(), roomId).orElseThrow(RoomService::roomNotFound);
        if (!room.hasMember(userId)) {
            throw notParticipant(caller);
        }
        recentRooms.put(cacheKey(caller.tenantId(), roomId), room);
        return room;
    }

    private static String cacheKey(String tenantId, String roomId) {
        return tenantId + "/" + roomId;
    }

    private static ApiException roomFrozen() {
        return new ApiException(ErrorCode.ROOM_FROZEN, "The room is frozen");
    }

    public static ApiException notParticipant(Caller caller) {
        return caller.isUser() ? RoomService.roomNotFound()
                : new ApiException(ErrorCode.NOT_A_PARTICIPANT, "The user is not a participant of this room");
    }

    /** Part types only the server writes (membership and call records): a client sending one gets 400. */
    static final List<String> SERVER_PART_TYPES = List.of("data-membership", "data-call");

    static boolean hasServerParts(List<Map<String, Object>> parts) {
        return parts != null && parts.stream().anyMatch(p -> p != null && SERVER_PART_TYPES.contains(p.get("type")));
    }

    void validate(SendMessageRequest request) {
        Violations v = new Violations().size(request.parts(), 1, MAX_PARTS, "parts")
                .maxLength(request.clientMessageId(), 128, "clientMessageId")
                .check(request.clientMessageId() == null || !request.clientMessageId().isBlank(), "clientMessageId", "must not be blank")
                .check(request.clientMessageId() == null || !request.clientMessageId().startsWith(RECORD_ID_PREFIX),
                        "clientMessageId", "must not start with " + RECORD_ID_PREFIX);
        List<Map<String, Object>> parts = request.parts() == null ? List.of() : request.parts();
        int files = 0;
        for (int i = 0; i < parts.size(); i++) {
            Map<String, Object> part = parts.get(i);
            String field = "parts[" + i + "]";
            Object type = part == null ? null : part.get("type");
            if (!(type instanceof String t) || t.isBlank()) {
                v.check(false, field + ".type", "must be a non-blank string");
                continue;
            }
            if ("file".equals(t) && ++files > MAX_FILE_PARTS) {
                v.check(false, field, "a message has at most " + MAX_FILE_PARTS + " file parts");
            }
            switch (t) {
                case "text" -> v.check(part.get("text") instanceof String s && !s.isEmpty() && s.length() <= MAX_TEXT,
                        field + ".text", "must be a string of 1 to " + MAX_TEXT + " characters");
                case "file" -> v.check(part.get("uploadId") instanceof String, field + ".uploadId", "must be a string")
                        .check(part.get("mediaType") instanceof String, field + ".mediaType", "must be a string")
                        .check(part.get("filename") instanceof String, field + ".filename", "must be a string");
                default -> v.check(!t.startsWith("data-") || part.get("data") instanceof Map, field + ".data", "must be an object")
                        .check(t.startsWith("data-"), field + ".type", "must be text, file or data-*");
            }
        }
        List<dev.sendsar.error.FieldError> reserved = new java.util.ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            if (parts.get(i) != null && SERVER_PART_TYPES.contains(parts.get(i).get("type"))) {
                reserved.add(new dev.sendsar.error.FieldError("parts[" + i + "].type", "is written by the server only"));
            }
        }
        if (!reserved.isEmpty()) {
            throw new ApiException(ErrorCode.RESERVED_PART_TYPE, "data-membership and data-call parts are written by the server only",
                    reserved);
        }
        if (v.isEmpty()) {
            v.check(json.write(parts).getBytes(StandardCharsets.UTF_8).length <= MAX_MESSAGE_JSON_BYTES, "parts",
                    "must be at most 64 KB of JSON");
        }
        v.throwIfAny();
    }

    /** Whether the message, as its events show it, fits a WebSocket frame (see {@link #MAX_MESSAGE_EVENT_BYTES}). */
    boolean fitsAnEvent(Message message) {
        long fileParts = message.parts().stream().filter(p -> p != null && "file".equals(p.get("type"))).count();
        return json.write(message).getBytes(StandardCharsets.UTF_8).length + fileParts * ACCESS_URL_ALLOWANCE_BYTES
                <= MAX_MESSAGE_EVENT_BYTES;
    }

    /** Fields of a part only the server writes: what a client puts there is dropped, never stored. */
    static final List<String> SERVER_PART_FIELDS = List.of("accessUrl", "accessUrlExpiresAt");

    /** The parts without {@link #SERVER_PART_FIELDS}; anything that is not a list of objects is left to validation. */
    static List<Map<String, Object>> withoutServerFields(List<Map<String, Object>> parts) {
        if (parts == null) {
            return null;
        }
        return parts.stream().map(part -> {
            if (part == null || SERVER_PART_FIELDS.stream().noneMatch(part::containsKey)) {
                return part;
            }
            Map<String, Object> copy = new java.util.LinkedHashMap<>(part);
            SERVER_PART_FIELDS.forEach(copy::remove);
            return copy;
        }).toList();
    }

    static String previewOf(List<Map<String, Object>> parts) {
        for (Map<String, Object> part : parts) {
            if ("text".equals(part.get("type"))) {
                String text = (String) part.get("text");
                return text.length() <= PREVIEW_CHARS ? text : text.substring(0, PREVIEW_CHARS);
            }
        }
        for (Map<String, Object> part : parts) {
            if ("file".equals(part.get("type"))) {
                return "[file] " + part.get("filename");
            }
        }
        return "";
    }
}
