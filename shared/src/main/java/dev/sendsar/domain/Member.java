package dev.sendsar.domain;

/**
 * A user's membership of a room, with that user's read and delivery cursors. {@code hiddenUntilSeq}: the room is
 * out of the user's list until a message past it arrives; {@code clearedThroughSeq}: the user no longer sees
 * messages up to it. {@code mutedUntil}: no push for this room until then ({@link #MUTED_FOREVER}: until unmuted).
 */
public record Member(String roomId, String userId, String username, Role role, String joinedAt,
                     long lastReadSeq, String lastReadMessageId, String lastReadAt,
                     long lastDeliveredSeq, String lastDeliveredMessageId, String lastDeliveredAt,
                     long hiddenUntilSeq, long clearedThroughSeq, String mutedUntil) {
    /** What an indefinite mute stores and shows: later than any real time, so one comparison covers both. */
    public static final String MUTED_FOREVER = "9999-12-31T23:59:59.999Z";


    public static Member joining(String roomId, String userId, String username, Role role, String joinedAt) {
        return new Member(roomId, userId, username, role, joinedAt, 0, null, null, 0, null, null, 0, 0, null);
    }

    public Participant participant() {
        return new Participant(userId, username, role, joinedAt);
    }

    public boolean isOperator() {
        return role == Role.OPERATOR;
    }

    public Member withRead(long seq, String messageId, String at) {
        return new Member(roomId, userId, username, role, joinedAt, seq, messageId, at, lastDeliveredSeq,
                lastDeliveredMessageId, lastDeliveredAt, hiddenUntilSeq, clearedThroughSeq, mutedUntil);
    }

    /**
     * The member with its read position as everyone sees it: its read cursor, or its own message the room item names
     * if that is later (whoever sends has read what came before; the send writes only the room item, see
     * {@link Room}). Every reader of read state (unread counts, {@code lastRead*}) goes through this.
     */
    public Member readIn(Room room) {
        Member read = this;
        for (LastMessage own : room.namedPositions()) {
            if (own.senderId().equals(userId) && own.seq() > read.lastReadSeq()) {
                read = read.withRead(own.seq(), own.id(), own.createdAt());
            }
        }
        return read;
    }

    public Member withDelivered(long seq, String messageId, String at) {
        return new Member(roomId, userId, username, role, joinedAt, lastReadSeq, lastReadMessageId, lastReadAt, seq,
                messageId, at, hiddenUntilSeq, clearedThroughSeq, mutedUntil);
    }

    public Member withRole(Role newRole) {
        return new Member(roomId, userId, username, newRole, joinedAt, lastReadSeq, lastReadMessageId, lastReadAt,
                lastDeliveredSeq, lastDeliveredMessageId, lastDeliveredAt, hiddenUntilSeq, clearedThroughSeq, mutedUntil);
    }

    public Member withHiddenUntil(long seq) {
        return new Member(roomId, userId, username, role, joinedAt, lastReadSeq, lastReadMessageId, lastReadAt,
                lastDeliveredSeq, lastDeliveredMessageId, lastDeliveredAt, seq, clearedThroughSeq, mutedUntil);
    }

    public Member withClearedThrough(long seq) {
        return new Member(roomId, userId, username, role, joinedAt, lastReadSeq, lastReadMessageId, lastReadAt,
                lastDeliveredSeq, lastDeliveredMessageId, lastDeliveredAt, hiddenUntilSeq, seq, mutedUntil);
    }

    public Member withMutedUntil(String until) {
        return new Member(roomId, userId, username, role, joinedAt, lastReadSeq, lastReadMessageId, lastReadAt,
                lastDeliveredSeq, lastDeliveredMessageId, lastDeliveredAt, hiddenUntilSeq, clearedThroughSeq, until);
    }

    /** Whether pushes for this room are off for the member at {@code now} (ISO-8601 UTC, compared as text). */
    public boolean mutedAt(String now) {
        return mutedUntil != null && mutedUntil.compareTo(now) > 0;
    }
}
