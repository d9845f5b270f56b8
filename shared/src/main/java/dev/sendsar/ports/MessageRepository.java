package dev.sendsar.ports;

import dev.sendsar.domain.Message;

import java.util.List;
import java.util.Optional;

/** A room's timeline, ordered by {@code seq}. */
public interface MessageRepository {

    sealed interface AppendResult {
        record Appended(Message message) implements AppendResult { }
        /**
         * The room changed first (another message took the seq, or it was frozen): try again from {@code now}, the
         * room as the refusal found it, or re-read the room when that is {@code null}.
         */
        record SeqTaken(RoomNow now) implements AppendResult { }
        /**
         * What a refused append learned about the room, read atomically with the refusal; a {@code membersVersion}
         * other than the one the sender holds means the member list changed: read it again.
         */
        record RoomNow(long lastSeq, boolean frozen, long membersVersion) { }
        /** The sender already sent this {@code clientMessageId} in this room, as message {@code seq}. */
        record Duplicate(long seq) implements AppendResult { }
    }

    /**
     * Appends {@code message} (whose seq must be {@code expectedLastSeq + 1}) and moves the room's {@code lastSeq}
     * and last-message preview, all in one transaction that fails if the room's seq or member list
     * ({@code membersVersion}) moved meanwhile, or the sender's {@code clientMessageId} was used before, or the room
     * is frozen. The caller has checked the sender against the member list of {@code expectedMembersVersion} (read
     * with that version in one snapshot, see RoomRepository#find): as every member change bumps the version, the
     * sender is still a member when the append commits. A {@code membershipRecord} (who joined or left) goes into
     * frozen rooms too, and its sender may be the user who just left.
     */
    AppendResult append(String tenantId, long expectedLastSeq, long expectedMembersVersion, Message message,
                        boolean membershipRecord);

    Optional<Message> findBySeq(String tenantId, String roomId, long seq);

    Optional<Message> findById(String tenantId, String roomId, String messageId);

    /** The messages of the room with these ids, by id; ids that are not messages of the room are left out. */
    java.util.Map<String, Message> findByIds(String tenantId, String roomId, java.util.Collection<String> messageIds);

    /** The message {@code senderId} sent in the room with this {@code clientMessageId}, if any. */
    Optional<Message> findByClientMessageId(String tenantId, String roomId, String senderId, String clientMessageId);

    /**
     * Applies {@code change} to the stored message atomically: concurrent changes (two reactions at once) are
     * re-applied to the newer version rather than lost. The change may throw to refuse; returning the message
     * unchanged writes nothing. Keeps the pinned list, and the room's last-message preview when this is the room's
     * newest message, in step. Empty when there is no such message. After a bounded number of lost races it gives
     * up with 503 {@code message_busy}.
     */
    Optional<Message> update(String tenantId, String roomId, long seq, java.util.function.UnaryOperator<Message> change);

    /** The room's pinned messages, newest pin first. */
    List<Message> pinned(String tenantId, String roomId);

    /**
     * Part of a timeline: at most the asked-for number of messages, and whether more follow. A slice may hold fewer
     * messages than asked and still have {@code more} (a storage page ends at a size limit), so only {@code more}
     * says where the timeline ends.
     */
    record Slice(List<Message> messages, boolean more) {
    }

    /** Newest first, strictly below {@code beforeSeq} when it is given. */
    Slice before(String tenantId, String roomId, Long beforeSeq, int limit);

    /** Oldest first, strictly above {@code afterSeq}. */
    Slice after(String tenantId, String roomId, long afterSeq, int limit);
}
