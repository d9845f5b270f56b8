package dev.sendsar.domain;

/**
 * A user's membership of a room, with that user's read and delivery cursors. {@code hiddenUntilSeq}: the room is
 * out of the user's list until a message past it arrives; {@code clearedThroughSeq}: the user no longer sees
 * messages up to it.
 */
public record Member(String roomId, String userId, String username, Role role, String joinedAt,
                     long lastReadSeq, String lastReadMessageId, String lastReadAt,
                     long lastDeliveredSeq, String lastDeliveredMessageId, String lastDeliveredAt,
                     long hiddenUntilSeq, long clearedThroughSeq) {

    public static Member joining(String roomId, String userId, String username, Role role, String joinedAt) {
        return new Member(roomId, userId, username, role, joinedAt, 0, null, null, 0, null, null, 0, 0);
    }

    public Participant participant() {
        return new Participant(userId, username, role, joinedAt);
    }

    public boolean isOperator() {
        return role == Role.OPERATOR;
    }

    public Member withRead(long seq, String messageId, String at) {
        return new Member(roomId, userId, username, role, joinedAt, seq, messageId, at, lastDeliveredSeq,
                lastDeliveredMessageId, lastDeliveredAt, hiddenUntilSeq, clearedThroughSeq);
    }

    public Member withDelivered(long seq, String messageId, String at) {
        return new Member(roomId, userId, username, role, joinedAt, lastReadSeq, lastReadMessageId, lastReadAt, seq,
                messageId, at, hiddenUntilSeq, clearedThroughSeq);
    }

    public Member withRole(Role newRole) {
        return new Member(roomId, userId, username, newRole, joinedAt, lastReadSeq, lastReadMessageId, lastReadAt,
                lastDeliveredSeq, lastDeliveredMessageId, lastDeliveredAt, hiddenUntilSeq, clearedThroughSeq);
    }

    public Member withHiddenUntil(long seq) {
        return new Member(roomId, userId, username, role, joinedAt, lastReadSeq, lastReadMessageId, lastReadAt,
                lastDeliveredSeq, lastDeliveredMessageId, lastDeliveredAt, seq, clearedThroughSeq);
    }

    public Member withClearedThrough(long seq) {
        return new Member(roomId, userId, username, role, joinedAt, lastReadSeq, lastReadMessageId, lastReadAt,
                lastDeliveredSeq, lastDeliveredMessageId, lastDeliveredAt, hiddenUntilSeq, seq);
    }
}
