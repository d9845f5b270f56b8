package dev.sendsar.service;

import dev.sendsar.domain.Caller;
import dev.sendsar.domain.Ids;
import dev.sendsar.domain.Member;
import dev.sendsar.domain.Page;
import dev.sendsar.domain.Role;
import dev.sendsar.domain.Room;
import dev.sendsar.domain.Times;
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

    private final RoomRepository rooms;
    private final UserRepository users;

    public RoomService(RoomRepository rooms, UserRepository users) {
        this.rooms = rooms;
        this.users = users;
    }

    public Created create(Caller caller, CreateRoomRequest request) {
        caller.requireApiKey();
        if (request == null) {
            throw UserService.missingBody();
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
                return new Created(detail(tenantId, existing.get(), null), false);
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
                request.metadata(), false, 0, null, List.copyOf(members.keySet()), now, now);
        Room stored = rooms.create(tenantId, room, List.copyOf(members.values()));
        boolean created = stored.id().equals(roomId);
        return new Created(detail(tenantId, stored, null), created);
    }

    public RoomDetail get(Caller caller, String roomId) {
        caller.requireTenant();
        Room room = visibleRoom(caller, roomId);
        List<Member> members = rooms.members(caller.tenantId(), roomId);
        Member viewer = caller.isUser() ? members.stream().filter(m -> m.userId().equals(caller.userId())).findFirst().orElse(null) : null;
        return RoomViews.detail(room, viewer, members);
    }

    /**
     * A user's rooms, newest activity first. A JWT lists its own; an API key names {@code participantId}, or looks a
     * room up by {@code externalId}.
     */
    public RoomList list(Caller caller, String participantId, String externalId, String customTypes, Integer limit, String cursor) {
        caller.requireTenant();
        int pageSize = Paging.limit(limit);
        String viewerId = caller.actingAs(participantId);
        Set<String> types = customTypes == null || customTypes.isBlank() ? Set.of()
                : new HashSet<>(List.of(customTypes.split(",")));
        String tenantId = caller.tenantId();
        if (viewerId == null) {
            if (externalId == null) {
                throw new ApiException(400, "validation_failed", "The request is not valid",
                        List.of(new dev.sendsar.error.FieldError("participantId", "is required with an API key unless externalId is given")));
            }
            List<RoomSummary> found = rooms.findIdByExternalId(tenantId, externalId).flatMap(id -> rooms.find(tenantId, id))
                    .filter(r -> types.isEmpty() || types.contains(r.customType()))
                    .map(r -> List.of(RoomViews.summary(r, null))).orElse(List.of());
            return new RoomList(found, null);
        }
        Page<Member> page = rooms.membershipsOf(tenantId, viewerId, cursor, pageSize);
        Map<String, Room> byId = rooms.findAll(tenantId, page.items().stream().map(Member::roomId).toList());
        List<RoomSummary> summaries = new ArrayList<>();
        for (Member m : page.items()) {
            Room r = byId.get(m.roomId());
            if (r != null && (types.isEmpty() || types.contains(r.customType()))
                    && (externalId == null || externalId.equals(r.externalId()))) {
                summaries.add(RoomViews.summary(r, m));
            }
        }
        return new RoomList(summaries, page.nextCursor());
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

    private RoomDetail detail(String tenantId, Room room, Member viewer) {
        return RoomViews.detail(room, viewer, rooms.members(tenantId, room.id()));
    }

    static ApiException roomNotFound() {
        return ApiException.notFound("room_not_found", "Room not found");
    }
}
