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
import dev.sendsar.ports.MessageRepository.AppendResult;
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
    /** Optimistic seq allocation: each lost race retries from the room the refusal saw; this bounds a pathological hot room. */
    static final int MAX_ATTEMPTS = 100;
    /** Lost races retried at once before jittered waits begin: the usual two-sender collision never waits. */
    static final int CONTENDED_ATTEMPTS = 2;

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
    /** Rooms this instance wrote to lately: a hint for the next seq, never trusted for a write (see roomForSend). */
    private final Cache<String, Room> recentRooms = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(Duration.ofMinutes(5)).build();

    public MessageService(RoomRepository rooms, MessageRepository messages, RealtimePublisher publisher, Json json,
                          RateLimitService rateLimits, UploadService uploads) {
        this.rooms = rooms;
        this.messages = messages;
        this.publisher = publisher;
        this.json = json;
        this.rateLimits = rateLimits;
        this.uploads = uploads;
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
            return messages.findByClientMessageId(tenantId, roomId, senderId, clientMessageId)
                    .map(original -> new Sent(asShown(tenantId, original), false))
                    .orElseThrow(() -> refused);
        }
    }

    private Sent sendAs(Caller caller, String roomId, String senderId, SendMessageRequest request, String senderConnectionId) {
        rateLimits.check(caller, senderId, RateLimitedAction.SEND_MESSAGE);
        request = request.withParts(withoutServerFields(request.parts()));
        validate(request);
        String tenantId = caller.tenantId();
        Room room = roomForSend(caller, roomId, senderId);
        Message.ParentPreview parent = null;
        if (request.parentMessageId() != null) {
            Message p = messages.findById(tenantId, roomId, request.parentMessageId())
                    .orElseThrow(() -> new ApiException(ErrorCode.VALIDATION_FAILED, "The request is not valid",
                            List.of(new dev.sendsar.error.FieldError("parentMessageId", "is not a message of this room"))));
            parent = parentPreview(p);
        }
        return deliver(caller, room, Draft.of(senderId, request.parts(), request.clientMessageId(),
                request.parentMessageId(), parent), senderConnectionId);
    }

    /** A message about to be appended: what the sender wrote, or a forward's copy, or a system record. */
    record Draft(String senderId, List<Map<String, Object>> parts, String clientMessageId, String parentMessageId,
                 Message.ParentPreview parent, String forwardedFromId, String forwardedFromSenderId, boolean membershipRecord) {

        static Draft of(String senderId, List<Map<String, Object>> parts, String clientMessageId, String parentMessageId,
                        Message.ParentPreview parent) {
            return new Draft(senderId, parts, clientMessageId, parentMessageId, parent, null, null, false);
        }
    }

    /**
     * Appends a message with the room's next seq, retrying lost races, then delivers {@code new-message} to every
     * participant. {@code caller} only decides how a refusal is worded.
     */
    Sent deliver(Caller caller, Room room, Draft draft, String senderConnectionId) {
        String tenantId = caller.tenantId();
        uploads.checkShareable(tenantId, draft.senderId(), draft.parts());
        String preview = previewOf(draft.parts());
        // who to tell is looked up while the transaction runs: the lookups are off the critical path
        RealtimePublisher.Audience audience = publisher.audienceOf(tenantId, room.memberIds(), draft.senderId(), senderConnectionId);
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            String now = Times.now();
            long seq = room.lastSeq() + 1;
            // the id carries the seq (one read finds a message by id), so each attempt at another seq has its own
            Message candidate = new Message(Ids.messageId(seq), room.id(), seq, draft.senderId(), draft.parts(), preview,
                    draft.clientMessageId(), now, null, null, false, List.of(), draft.parentMessageId(), draft.parent(),
                    null, null, draft.forwardedFromId(), draft.forwardedFromSenderId());
            AppendResult result = messages.append(tenantId, room.lastSeq(), room.membersVersion(), candidate,
                    draft.membershipRecord());
            if (result instanceof AppendResult.Appended appended) {
                recentRooms.put(cacheKey(tenantId, room.id()), room.withLastMessage(LastMessage.of(candidate)));
                // only now, with the message stored, may the room read its files: a refused send shares nothing
                shareFiles(tenantId, room.id(), draft.parts());
                Message sent = uploads.withAccessUrls(tenantId, appended.message()); // its parent was read just now
                afterCommit(tenantId, sent, !draft.membershipRecord(), audience);
                return new Sent(sent, true);
            }
            if (result instanceof AppendResult.Duplicate duplicate) {
                Message original = messages.findBySeq(tenantId, room.id(), duplicate.seq())
                        .orElseThrow(() -> new IllegalStateException("idempotency record without its message"));
                shareFiles(tenantId, room.id(), original.parts()); // heals a first attempt that stopped before sharing
                return new Sent(asShown(tenantId, original), false);
            }
            List<String> before = room.memberIds();
            AppendResult.RoomNow found = ((AppendResult.SeqTaken) result).now();
            if (found == null || found.membersVersion() != room.membersVersion()) {
                // the member list changed (or the refusal did not say): read it again with the room
                room = draft.membershipRecord()
                        ? rooms.find(tenantId, room.id()).orElseThrow(RoomService::roomNotFound)
                        : authorizedRoom(caller, room.id(), draft.senderId());
            } else {
                // the refusal read the room atomically: retry at once from there (a busy room costs no re-reads)
                room = room.withState(found.lastSeq(), found.frozen());
                recentRooms.put(cacheKey(tenantId, room.id()), room);
            }
            if (room.frozen() && !draft.membershipRecord()) {
                throw roomFrozen();
            }
            if (!room.memberIds().equals(before)) {
                audience = publisher.audienceOf(tenantId, room.memberIds(), draft.senderId(), senderConnectionId);
            }
            if (attempt >= CONTENDED_ATTEMPTS) {
                Retries.pause(attempt - CONTENDED_ATTEMPTS + 1);
            }
        }
        throw Retries.busy(ErrorCode.ROOM_BUSY, "The room is too busy right now; retry with the same clientMessageId");
    }

    /** {@code clientMessageId}s with this prefix are the server's own (see {@link #postRecord}); clients may not use them. */
    public static final String RECORD_ID_PREFIX = "sendsar:";

    /**
     * Posts a message only the server writes (a call's history record) into the room, at most once per
     * {@code recordId}: a repeat finds the first one (and tells nobody again). Like a membership record it goes into
     * frozen rooms too, and its sender need not be a member any more.
     */
    public Sent postRecord(String tenantId, Room room, String senderId, Map<String, Object> part, String recordId) {
        // the server itself, acting with its tenant's rights (no API key of the tenant is involved)
        return deliver(Caller.apiKey(tenantId, null), room, new Draft(senderId, List.of(part), RECORD_ID_PREFIX + recordId,
                null, null, null, null, true), null);
    }

    /**
     * The message is durable: telling the participants, and moving the sender's read cursor to it (whoever writes has
     * read what came before), may fail but must not turn the answer into an error (a client would resend). Clients
     * recover a missed event by seq; a cursor that did not move shows the sender its own message as unread until its
     * next read. Both run in parallel and are done before the answer (a function may be frozen right after it).
     * The cursor moves only forward and only on an existing member item: it never re-creates a member who left.
     */
    private void afterCommit(String tenantId, Message sent, boolean movesSendersCursor, RealtimePublisher.Audience audience) {
        List<Runnable> tasks = new java.util.ArrayList<>(2);
        tasks.add(() -> publisher.deliver(audience, "new-message", sent));
        if (movesSendersCursor) {
            tasks.add(() -> rooms.advanceCursor(tenantId, sent.roomId(), sent.senderId(), RoomRepository.Cursor.READ,
                    sent.seq(), sent.id(), sent.createdAt()));
        }
        publisher.inParallel("After storing message " + sent.id() + ", fan-out or the sender's cursor", tasks);
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
                peerRead = latest(peerRead, m.lastReadAt());
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

    /**
     * The room for a send. A warm function remembers the rooms it wrote to and skips the read when it knows the
     * room: the append transaction itself checks the seq, the member list's version (the sender was checked against
     * the list of that version) and that the room is not frozen, so a stale memory costs one failed attempt and a re-read, never a wrong write or
     * a message to a stale audience.
     */
    private Room roomForSend(Caller caller, String roomId, String senderId) {
        Room known = recentRooms.getIfPresent(cacheKey(caller.tenantId(), roomId));
        Room room = known != null && known.hasMember(senderId) && !known.frozen() ? known : authorizedRoom(caller, roomId, senderId);
        if (room.frozen()) {
            throw roomFrozen();
        }
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
