package dev.sendsar.domain;

/** A user's membership of a room, with that user's read and delivery cursors. */
public record Member(String roomId, String userId, String username, Role role, String joinedAt,
                     long lastReadSeq, String lastReadMessageId, String lastReadAt,
                     long lastDeliveredSeq, String lastDeliveredMessageId, String lastDeliveredAt) {

    public static Member joining(String roomId, String userId, String username, Role role, String joinedAt) {
        return new Member(roomId, userId, username, role, joinedAt, 0, null, null, 0, null, null);
    }

    public Participant participant() {
        return new Participant(userId, username, role, joinedAt);
    }
}
