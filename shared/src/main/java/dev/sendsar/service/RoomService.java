package dev.sendsar.service;

import dev.sendsar.error.ErrorCode;
import dev.sendsar.domain.Caller;
import dev.sendsar.domain.Ids;
import dev.sendsar.domain.Member;
import dev.sendsar.domain.Page;
import dev.sendsar.domain.RateLimitedAction;
import dev.sendsar.domain.Retries;
import dev.sendsar.domain.Role;
import dev.sendsar.domain.Room;
import dev.sendsar.domain.Times;
import dev.sendsar.domain.User;
import dev.sendsar.error.ApiException;
import dev.sendsar.error.Violations;
import dev.sendsar.ports.RoomRepository;
import dev.sendsar.ports.UserRepository;
import dev.sendsar.service.RoomViews.RoomDetail;
import dev.sendsar.service.RoomViews.RoomList;
import dev.sendsar.service.RoomViews.RoomSummary;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Creating, reading and listing rooms. */
@Singleton
public class RoomService {
    private final RateLimitService rateLimits;
    /** One transaction holds the room, its members and its external id: DynamoDB allows 100 items. */
    static final int MAX_CREATE_PARTICIPANTS = 90;

    @Serdeable
    public record ParticipantInput(String id, String username, String role) {
    }

    @Serdeable
    public record CreateRoomRequest(String name, String externalId, String customType, Map<String, Object> metadata,
                                    String avatarUrl, List<ParticipantInput> participants) {
    }

    public record Created(RoomDetail room, boolean created) {
    }

    @Serdeable
    public record UpdateRoomRequest(String name, Map<String, Object> metadata, String avatarUrl, String customType,
                                    Boolean isFrozen) {
    }

    @Serdeable
    public record AddParticipantRequest(String userId, String username, String role) {
    }

    @Serdeable
    public record RoleRequest(String role) {
    }

    @Serdeable
    public record ForMeResult(String roomId, boolean hidden, boolean left) {
    }

    @Serdeable
    public record ClearedHistory(String roomId, String clearedAt, long clearedThroughSeq) {
    }

    private final RoomRepository rooms;
    private final UserRepository users;
    private final MessageService messages;
    private final RealtimePublisher publisher;

    public RoomService(RoomRepository rooms, UserRepository users, MessageService messages, RealtimePublisher publisher,
                       RateLimitService rateLimits) {
        this.rateLimits = rateLimits;
        this.rooms = rooms;
        this.users = users;
        this.messages = messages;
        this.publisher = publisher;
    }

    public Created create(Caller caller, CreateRoomRequest request) {
        rateLimits.check(caller, null, RateLimitedAction.OTHER_WRITE);
        if (request == null) {
            throw ApiException.missingBody();
        }
        String tenantId = caller.tenantId();
        Violations v = new Violations()
                .maxLength(request.name(), 200, "name")
                .optionalId(request.externalId(), "externalId")
                .maxLength(request.customType(), 128, "customType")
                .maxLength(request.avatarUrl(), 2048, "avatarUrl")
                .metadata(request.metadata(), "metadata")
                .size(request.participants(), 1, MAX_CREATE_PARTICIPANTS, "participants");
        Set<String> seen = new HashSet<>();
        List<ParticipantInput> participants = request.participants() == null ? List.of() : request.participants();
        for (int i = 0; i < participants.size(); i++) {
            ParticipantInput p = participants.get(i);
            String field = "participants[" + i + "]";
            if (p == null) {
                v.check(false, field, "must not be null");
                continue;
            }
            v.id(p.id(), field + ".id")
                    .maxLength(p.username(), 200, field + ".username")
                    .check(p.role() == null || p.role().equals("OPERATOR") || p.role().equals("MEMBER"), field + ".role", "must be OPERATOR or MEMBER")
                    .check(p.id() == null || seen.add(p.id()), field + ".id", "is listed twice");
        }
        v.throwIfAny();

        if (request.externalId() != null) {
            var existing = rooms.findIdByExternalId(tenantId, request.externalId()).flatMap(id -> rooms.find(tenantId, id));
            if (existing.isPresent()) {
                return new Created(detail(caller, existing.get()), false);
            }
        }
        String now = Times.now();
        String roomId = Ids.uuid();
        Map<String, Member> members = new LinkedHashMap<>();
        for (ParticipantInput p : participants) {
            String username = p.username();
            var user = users.upsert(tenantId, p.id(), new UserRepository.UserFields(username, null, null, null)).user();
            Role role = p.role() == null ? Role.MEMBER : Role.valueOf(p.role());
            members.put(p.id(), Member.joining(roomId, p.id(), user.username(), role, now));
        }
        Room room = new Room(roomId, request.name(), request.avatarUrl(), request.externalId(), request.customType(),
                request.metadata(), false, 0, null, null, List.copyOf(members.keySet()), 0, now, now);
        Room stored = rooms.create(tenantId, room, List.copyOf(members.values()));
        boolean created = stored.id().equals(roomId);
        return new Created(detail(caller, stored), created);
    }

    public RoomDetail get(Caller caller, String roomId) {
        Room room = visibleRoom(caller, roomId);
        return detail(caller, room);
    }

    /**
     * A user's rooms, newest activity first. A JWT lists its own; an API key names {@code participantId}, or looks a
     * room up by {@code externalId}.
     */
    public RoomList list(Caller caller, String participantId, String externalId, String customTypes, Integer limit, String cursor) {
        int pageSize = Paging.limit(limit);
        String viewerId = caller.actingAs(participantId);
        Set<String> types = customTypes == null || customTypes.isBlank() ? Set.of()
                : new HashSet<>(List.of(customTypes.split(",")));
        String tenantId = caller.tenantId();
        if (viewerId == null) {
            if (externalId == null) {
                throw new ApiException(ErrorCode.VALIDATION_FAILED, "The request is not valid",
                        List.of(new dev.sendsar.error.FieldError("participantId", "is required with an API key unless externalId is given")));
            }
            List<RoomSummary> found = rooms.findIdByExternalId(tenantId, externalId).flatMap(id -> rooms.find(tenantId, id))
                    .filter(r -> types.isEmpty() || types.contains(r.customType()))
                    .map(r -> List.of(RoomViews.summary(r, null))).orElse(List.of());
            return new RoomList(found, null);
        }
        Page<RoomRepository.Listed> page = rooms.roomsOf(tenantId, viewerId, cursor, pageSize);
        List<RoomSummary> summaries = new ArrayList<>();
        for (RoomRepository.Listed listed : page.items()) {
            Member m = listed.member();
            Room r = listed.room();
            if ((types.isEmpty() || types.contains(r.customType()))
                    && (externalId == null || externalId.equals(r.externalId()))
                    && (m.hiddenUntilSeq() == 0 || r.lastSeq() > m.hiddenUntilSeq())) {
                summaries.add(RoomViews.summary(r, m));
            }
        }
        return new RoomList(summaries, page.nextCursor());
    }

    /** PATCH: the API key or an operator of the room; every participant hears {@code room-updated}. */
    public RoomDetail update(Caller caller, String roomId, UpdateRoomRequest request) {
        if (request == null) {
            throw ApiException.missingBody();
        }
        new Violations().maxLength(request.name(), 200, "name").maxLength(request.avatarUrl(), 2048, "avatarUrl")
                .maxLength(request.customType(), 128, "customType").metadata(request.metadata(), "metadata").throwIfAny();
        rateLimits.check(caller, caller.userId(), RateLimitedAction.OTHER_WRITE);
        Room room = visibleRoom(caller, roomId);
        requireManager(caller, room);
        Room updated = rooms.update(caller.tenantId(), roomId, new RoomRepository.RoomChanges(request.name(), request.metadata(),
                request.avatarUrl(), request.customType(), request.isFrozen(), Times.now())).orElseThrow(RoomService::roomNotFound);
        // each participant hears the room as it sees it: with its own unread count
        List<Member> members = rooms.members(caller.tenantId(), roomId);
        publisher.inParallel("room-updated", members.stream().map(m -> (Runnable) () ->
                publisher.publish(caller.tenantId(), List.of(m.userId()), "room-updated", RoomViews.summary(updated, m))).toList());
        return detail(caller, updated, members);
    }

    /** Adds a participant (upserting the user); adding someone already in the room changes nothing. */
    public RoomDetail addParticipant(Caller caller, String roomId, AddParticipantRequest request) {
        if (request == null) {
            throw ApiException.missingBody();
        }
        new Violations().id(request.userId(), "userId").maxLength(request.username(), 200, "username")
                .check(request.role() == null || request.role().equals("OPERATOR") || request.role().equals("MEMBER"), "role", "must be OPERATOR or MEMBER")
                .throwIfAny();
        rateLimits.check(caller, caller.userId(), RateLimitedAction.OTHER_WRITE);
        Room room = visibleRoom(caller, roomId);
        requireManager(caller, room);
        String tenantId = caller.tenantId();
        User user = caller.isUser() ? existingUser(tenantId, request)
                : users.upsert(tenantId, request.userId(), new UserRepository.UserFields(request.username(), null, null, null)).user();
        for (int attempt = 1; !room.hasMember(request.userId()); attempt++) {
            if (attempt > MAX_MEMBER_ATTEMPTS) {
                throw membersBusy();
            }
            Member member = Member.joining(roomId, request.userId(), user.username(),
                    request.role() == null ? Role.MEMBER : Role.valueOf(request.role()), Times.now());
            var record = rooms.addMember(tenantId, room, member,
                    MessageService.membershipRecord(caller, roomId, "joined", request.userId()));
            if (record.isPresent()) {
                room = rooms.find(tenantId, roomId).orElseThrow(RoomService::roomNotFound);
                announce(caller, room, record.get(), "joined", request.userId());
                break;
            }
            Retries.pause(attempt);
            room = rooms.find(tenantId, roomId).orElseThrow(RoomService::roomNotFound);
        }
        return detail(caller, room);
    }

    public RoomDetail changeRole(Caller caller, String roomId, String userId, RoleRequest request) {
        new Violations().check(request != null && ("OPERATOR".equals(request.role()) || "MEMBER".equals(request.role())),
                "role", "must be OPERATOR or MEMBER").throwIfAny();
        rateLimits.check(caller, caller.userId(), RateLimitedAction.OTHER_WRITE);
        Room room = visibleRoom(caller, roomId);
        requireManager(caller, room);
        Member member = rooms.member(caller.tenantId(), roomId, userId)
                .orElseThrow(() -> new ApiException(ErrorCode.PARTICIPANT_NOT_FOUND, "Not a participant of this room"));
        rooms.saveMember(caller.tenantId(), member.withRole(Role.valueOf(request.role())));
        return detail(caller, room);
    }

    /** Removes a participant: the API key, an operator, or the user itself (leaving). */
    public RoomDetail removeParticipant(Caller caller, String roomId, String userId) {
        rateLimits.check(caller, caller.userId(), RateLimitedAction.OTHER_WRITE);
        Room room = visibleRoom(caller, roomId);
        boolean leaving = caller.isUser() && caller.userId().equals(userId);
        if (!leaving) {
            requireManager(caller, room);
        }
        if (!room.hasMember(userId)) {
            throw new ApiException(ErrorCode.PARTICIPANT_NOT_FOUND, "Not a participant of this room");
        }
        leave(caller, room, userId, leaving ? "left" : "removed");
        return detail(caller, rooms.find(caller.tenantId(), roomId).orElseThrow(RoomService::roomNotFound));
    }

    /** 1:1: hide the room from my list until a new message arrives. Group: leave it. */
    public ForMeResult deleteForMe(Caller caller, String roomId) {
        rateLimits.check(caller, caller.userId(), RateLimitedAction.OTHER_WRITE);
        Room room = visibleRoom(caller, roomId);
        if (room.memberIds().size() <= 2) {
            Member me = rooms.member(caller.tenantId(), roomId, caller.userId()).orElseThrow(RoomService::roomNotFound);
            rooms.saveMember(caller.tenantId(), me.withHiddenUntil(Math.max(room.lastSeq(), 1)));
            // a conversation one deleted has nothing unread left (the unread total, badges): what comes next counts
            markAllRead(caller, room);
            return new ForMeResult(roomId, true, false);
        }
        leave(caller, room, caller.userId(), "left");
        return new ForMeResult(roomId, false, true);
    }

    /** Hides every current message from me only; others keep theirs. */
    public ClearedHistory clearHistory(Caller caller, String roomId) {
        rateLimits.check(caller, caller.userId(), RateLimitedAction.OTHER_WRITE);
        Room room = visibleRoom(caller, roomId);
        Member me = rooms.member(caller.tenantId(), roomId, caller.userId()).orElseThrow(RoomService::roomNotFound);
        rooms.saveMember(caller.tenantId(), me.withClearedThrough(Math.max(me.clearedThroughSeq(), room.lastSeq())));
        markAllRead(caller, room);
        return new ClearedHistory(roomId, Times.now(), Math.max(me.clearedThroughSeq(), room.lastSeq()));
    }

    private void markAllRead(Caller caller, Room room) {
        rooms.advanceCursor(caller.tenantId(), room.id(), caller.userId(), RoomRepository.Cursor.READ, room.lastSeq(),
                room.lastMessage() == null ? null : room.lastMessage().id(), Times.now());
    }

    /**
     * The user goes and the record of it goes into the timeline in one transaction, which also moves the room's
     * {@code membersVersion}: a send from any function either lands before the record (to the list with the user)
     * or meets the record at a seq it tries and reads the list again, so no message after the record reaches the
     * leaver (see MessageService#deliver).
     */
    private void leave(Caller caller, Room room, String userId, String action) {
        String tenantId = caller.tenantId();
        java.util.function.LongFunction<dev.sendsar.domain.Message> recordAt =
                MessageService.membershipRecord(caller, room.id(), action, userId);
        for (int attempt = 1; room.hasMember(userId); attempt++) {
            var record = rooms.removeMember(tenantId, room, userId, recordAt);
            if (record.isPresent()) {
                announce(caller, rooms.find(tenantId, room.id()).orElseThrow(RoomService::roomNotFound), record.get(), action, userId);
                return;
            }
            if (attempt >= MAX_MEMBER_ATTEMPTS) {
                throw membersBusy();
            }
            Retries.pause(attempt);
            room = rooms.find(tenantId, room.id()).orElseThrow(RoomService::roomNotFound);
        }
    }

    /** A member-list change compares and sets the whole list: this many lost races, then 503 {@code room_busy}. */
    static final int MAX_MEMBER_ATTEMPTS = 20;

    private static ApiException membersBusy() {
        return Retries.busy(ErrorCode.ROOM_BUSY, "The room's participants are changing too fast right now; retry");
    }

    /** Tells everyone in the room about the stored {@code data-membership} record, and the target too. */
    private void announce(Caller caller, Room room, dev.sendsar.domain.Message record, String action, String targetUserId) {
        String actor = caller.isUser() ? caller.userId() : null;
        messages.published(caller.tenantId(), room, record);
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("roomId", room.id());
        event.put("action", action);
        event.put("targetUserId", targetUserId);
        event.put("actorUserId", actor);
        Set<String> audience = new java.util.LinkedHashSet<>(room.memberIds());
        audience.add(targetUserId);
        publisher.publish(caller.tenantId(), audience, "room-participants-changed", event);
    }

    /**
     * The user a session user (an OPERATOR of the room) adds, as the integrator made it: only the API key creates users
     * or changes profiles, so an unknown user is a 404 {@code user_not_found} and a {@code username} other than the
     * user's own is a 403 {@code api_key_required}, both before anything is written.
     */
    private User existingUser(String tenantId, AddParticipantRequest request) {
        User user = users.find(tenantId, request.userId()).orElseThrow(UserService::userNotFound);
        if (request.username() != null && !request.username().equals(user.username())) {
            throw new ApiException(ErrorCode.API_KEY_REQUIRED, "Only the API key may change a user's profile");
        }
        return user;
    }

    /** The API key, or an operator of the room. */
    private void requireManager(Caller caller, Room room) {
        if (caller.isUser()) {
            Member member = rooms.member(caller.tenantId(), room.id(), caller.userId()).orElseThrow(RoomService::roomNotFound);
            if (!member.isOperator()) {
                throw new ApiException(ErrorCode.OPERATOR_REQUIRED, "Only an operator of the room can do this");
            }
        }
    }

    /**
     * The room if the caller may see it: any room of the tenant for an API key, a room the user is in for a JWT.
     * Anything else is the same 404 as a room that does not exist.
     */
    Room visibleRoom(Caller caller, String roomId) {
        Room room = rooms.find(caller.tenantId(), roomId).orElseThrow(RoomService::roomNotFound);
        if (caller.isUser() && !room.hasMember(caller.userId())) {
            throw roomNotFound();
        }
        return room;
    }

    /** The room as the caller sees it: a user with its own unread count and read cursor, an API key with neither. */
    private RoomDetail detail(Caller caller, Room room) {
        return detail(caller, room, rooms.members(caller.tenantId(), room.id()));
    }

    private static RoomDetail detail(Caller caller, Room room, List<Member> members) {
        Member viewer = caller.isUser() ? members.stream().filter(m -> m.userId().equals(caller.userId())).findFirst().orElse(null) : null;
        return RoomViews.detail(room, viewer, members);
    }

    public static ApiException roomNotFound() {
        return new ApiException(ErrorCode.ROOM_NOT_FOUND, "Room not found");
    }
}
