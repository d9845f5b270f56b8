package dev.sendsar.ports;

import dev.sendsar.domain.Member;
import dev.sendsar.domain.Message;
import dev.sendsar.domain.Page;
import dev.sendsar.domain.Room;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongFunction;

/** Rooms, their members, and each user's rooms by last activity. */
public interface RoomRepository {

    /** A membership with its room, as a room list shows it. */
    record Listed(Member member, Room room) {
        /** Where the room sorts in the member's list: its newest message, or when the member joined if later. */
        public String activityAt() {
            String last = room.lastMessage() == null ? null : room.lastMessage().createdAt();
            return last != null && last.compareTo(member.joinedAt()) > 0 ? last : member.joinedAt();
        }
    }

    /** Which of a member's two cursors. */
    enum Cursor { READ, DELIVERED }

    /** Fields a room update may set; {@code null} leaves a field as it is. */
    record RoomChanges(String name, Map<String, Object> metadata, String avatarUrl, String customType, Boolean frozen,
                       String updatedAt) {
    }

    /**
     * Stores a new room with its members in one transaction. When the room has an {@code externalId} that another
     * room of the tenant already holds, nothing is written and that other room is returned instead.
     */
    Room create(String tenantId, Room room, List<Member> members);

    /**
     * The room with its member ids and {@code membersVersion} as one snapshot: the ids are the list of that version
     * (a send authorizes its sender against them and commits only while the version holds).
     */
    Optional<Room> find(String tenantId, String roomId);

    /**
     * The rooms with these ids that exist, by id, as lists show them: without their member ids ({@code memberIds}
     * is empty; {@link #find} reads them, {@link #member} checks one).
     */
    Map<String, Room> findAll(String tenantId, Collection<String> roomIds);

    Optional<String> findIdByExternalId(String tenantId, String externalId);

    /** Applies the changes; empty when the room does not exist. */
    Optional<Room> update(String tenantId, String roomId, RoomChanges changes);

    /**
     * The room item alone, read consistently: {@code lastSeq}, {@code frozen} and {@code membersVersion} as they
     * are now, without the member ids ({@code memberIds} is empty). A send reads it to check a member list it holds.
     */
    Optional<Room> head(String tenantId, String roomId);

    /**
     * Adds a member and its id to the room's member list, and the record of it ({@code recordAt} builds it for a
     * seq) to the timeline at the room's next free seq, in one transaction, on condition the list is still
     * {@code room.memberIds()}. The stored record; empty when the list changed meanwhile: re-read and retry.
     */
    Optional<Message> addMember(String tenantId, Room room, Member member, LongFunction<Message> recordAt);

    /** Removes a member with the record of it, on the same condition as {@link #addMember}. */
    Optional<Message> removeMember(String tenantId, Room room, String userId, LongFunction<Message> recordAt);

    List<Member> members(String tenantId, String roomId);

    Optional<Member> member(String tenantId, String roomId, String userId);

    /**
     * Moves a member's read or delivery cursor forward to {@code seq}; never backwards. Returns the member as it
     * is afterwards (unchanged when the cursor was already there or past it); empty when not a member.
     */
    Optional<Member> advanceCursor(String tenantId, String roomId, String userId, Cursor cursor, long seq,
                                   String messageId, String at);

    /** Sets a member's role, hidden-until or cleared-through mark; empty when not a member. */
    Optional<Member> saveMember(String tenantId, Member member);

    /**
     * A user's rooms with the user's membership, most recent room activity first ({@link Listed#activityAt}, then
     * room id). The order comes from the rooms themselves, so a send writes nothing per member. {@code cursor} is the
     * {@code nextCursor} of the page before; an unreadable cursor is a 400 {@code invalid_cursor}.
     */
    Page<Listed> roomsOf(String tenantId, String userId, String cursor, int limit);
}
