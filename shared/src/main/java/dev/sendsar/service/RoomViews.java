package dev.sendsar.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.sendsar.domain.LastMessage;
import dev.sendsar.domain.Member;
import dev.sendsar.domain.Participant;
import dev.sendsar.domain.Room;
import dev.sendsar.domain.Times;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;
import java.util.Map;

/** Rooms as the API shows them: to a viewer, with that viewer's unread count and read cursor. */
public final class RoomViews {
    private RoomViews() {
    }

    /**
     * {@code unreadCount} is the viewer's; with no viewer (an API key naming none) it is left out, never 0.
     * {@code mutedUntil} is the viewer's mute (null when pushes are on, including a mute that has run out).
     */
    @Serdeable
    public record RoomSummary(String id, String name, String avatarUrl, String externalId, String customType,
                              Map<String, Object> metadata, boolean isFrozen, LastMessage lastMessage, long lastSeq,
                              @JsonInclude(JsonInclude.Include.NON_NULL) Long unreadCount, String lastReadMessageId,
                              String createdAt, String updatedAt, String mutedUntil) {
    }

    @Serdeable
    public record RoomDetail(@JsonUnwrapped RoomSummary summary, List<Participant> participants) {
    }

    @Serdeable
    public record RoomList(List<RoomSummary> rooms, String nextCursor) {
    }

    /** {@code viewer} is the viewing member, or {@code null} for an API key that names no viewer. */
    public static RoomSummary summary(Room room, Member member) {
        Member viewer = member == null ? null : member.readIn(room);
        Long unread = viewer == null ? null : Math.max(0, room.lastSeq() - viewer.lastReadSeq());
        return new RoomSummary(room.id(), room.name(), room.avatarUrl(), room.externalId(), room.customType(),
                room.metadata(), room.frozen(), room.lastMessage(), room.lastSeq(), unread,
                viewer == null ? null : viewer.lastReadMessageId(), room.createdAt(), room.updatedAt(),
                viewer == null || !viewer.mutedAt(Times.now()) ? null : viewer.mutedUntil());
    }

    public static RoomDetail detail(Room room, Member viewer, List<Member> members) {
        return new RoomDetail(summary(room, viewer), members.stream().map(Member::participant).toList());
    }
}
