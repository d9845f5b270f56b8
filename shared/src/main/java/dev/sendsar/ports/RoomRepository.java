package dev.sendsar.ports;

import dev.sendsar.domain.Member;
import dev.sendsar.domain.Page;
import dev.sendsar.domain.Room;

import java.util.List;
import java.util.Optional;

/** Rooms, their members, and each user's rooms by last activity. */
public interface RoomRepository {

    /**
     * Stores a new room with its members in one transaction. When the room has an {@code externalId} that another
     * room of the tenant already holds, nothing is written and that other room is returned instead.
     */
    Room create(String tenantId, Room room, List<Member> members);

    Optional<Room> find(String tenantId, String roomId);

    Optional<String> findIdByExternalId(String tenantId, String externalId);

    List<Member> members(String tenantId, String roomId);

    Optional<Member> member(String tenantId, String roomId, String userId);

    /** The rooms with these ids that exist, by id. */
    java.util.Map<String, Room> findAll(String tenantId, java.util.Collection<String> roomIds);

    /**
     * A user's memberships, most recent room activity first. {@code cursor} is the {@code nextCursor} of the page
     * before; an unreadable cursor is a 400 {@code invalid_cursor}.
     */
    Page<Member> membershipsOf(String tenantId, String userId, String cursor, int limit);

    /** Moves the room to the top of each member's room list. Best effort: a failure only misorders a list. */
    void touchActivity(String tenantId, String roomId, List<String> userIds, String activityAt);
}
