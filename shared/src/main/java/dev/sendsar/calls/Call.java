package dev.sendsar.calls;

import io.micronaut.serde.annotation.Serdeable;

import java.util.ArrayList;
import java.util.List;

/**
 * A call in a room: the contract's {@code CallRecord}. A 1:1 call starts {@code ringing} and becomes {@code active}
 * when the callee accepts; a group call is {@code active} at once. It ends {@code ended}, {@code missed} or
 * {@code declined}, and never changes after that.
 *
 * @param participants who joined, in join order; a group participant who left keeps its entry with {@code leftAt}
 * @param isGroup      the room had more than two participants when the call started
 * @param version      bumped by every change (the store writes a change only over the version it was computed from);
 *                     clients may order the states they see by it
 */
@Serdeable
public record Call(String id, String roomId, String type, String status, String livekitRoomName, String createdByUserId,
                   List<Participant> participants, boolean isGroup, String startedAt, String answeredAt, String endedAt,
                   String endReason, String endedByUserId, long version) {

    public static final String RINGING = "ringing";
    public static final String ACTIVE = "active";
    public static final String ENDED = "ended";
    public static final String MISSED = "missed";
    public static final String DECLINED = "declined";

    @Serdeable
    public record Participant(String userId, String joinedAt, String leftAt) {
        boolean present() {
            return leftAt == null;
        }
    }

    public boolean finished() {
        return ENDED.equals(status) || MISSED.equals(status) || DECLINED.equals(status);
    }

    public boolean ringing() {
        return RINGING.equals(status);
    }

    /** Whether {@code userId} is in the call now (joined and not left). */
    public boolean hasPresent(String userId) {
        return participants.stream().anyMatch(p -> p.userId().equals(userId) && p.present());
    }

    public long presentCount() {
        return participants.stream().filter(Participant::present).count();
    }

    /** The call with {@code userId} present: a new entry, or its earlier entry rejoined. */
    Call joinedBy(String userId, String now) {
        List<Participant> next = new ArrayList<>(participants.stream().filter(p -> !p.userId().equals(userId)).toList());
        next.add(new Participant(userId, now, null));
        return new Call(id, roomId, type, status, livekitRoomName, createdByUserId, next, isGroup, startedAt, answeredAt,
                endedAt, endReason, endedByUserId, version + 1);
    }

    Call leftBy(String userId, String now) {
        List<Participant> next = participants.stream()
                .map(p -> p.userId().equals(userId) && p.present() ? new Participant(p.userId(), p.joinedAt(), now) : p).toList();
        return new Call(id, roomId, type, status, livekitRoomName, createdByUserId, next, isGroup, startedAt, answeredAt,
                endedAt, endReason, endedByUserId, version + 1);
    }

    Call answered(String userId, String now) {
        Call joined = joinedBy(userId, now);
        return new Call(id, roomId, type, ACTIVE, livekitRoomName, createdByUserId, joined.participants, isGroup, startedAt,
                now, endedAt, endReason, endedByUserId, version + 1);
    }

    /** The call over, with {@code finalStatus} and why; whoever is still present leaves now. */
    Call over(String finalStatus, String reason, String byUserId, String now) {
        List<Participant> next = participants.stream()
                .map(p -> p.present() ? new Participant(p.userId(), p.joinedAt(), now) : p).toList();
        return new Call(id, roomId, type, finalStatus, livekitRoomName, createdByUserId, next, isGroup, startedAt, answeredAt,
                now, reason, byUserId, version + 1);
    }

    /**
     * The history outcome (API.md §4 {@code data-call}): {@code completed} once anyone answered (a group call is
     * answered when it starts), else how it stopped ringing.
     */
    public String outcome() {
        if (answeredAt != null) {
            return "completed";
        }
        return switch (status) {
            case MISSED -> "missed";
            case DECLINED -> "declined";
            default -> "cancelled";
        };
    }

    /** Seconds between answer and end, for a completed call; null otherwise. */
    public Long durationSeconds() {
        if (answeredAt == null || endedAt == null) {
            return null;
        }
        return Math.max(0, java.time.Duration.between(java.time.Instant.parse(answeredAt), java.time.Instant.parse(endedAt)).toSeconds());
    }
}
