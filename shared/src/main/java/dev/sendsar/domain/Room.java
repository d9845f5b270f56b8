package dev.sendsar.domain;

import java.util.List;
import java.util.Map;

/**
 * A conversation. {@code memberIds} is kept on the room itself so that a send authorizes the sender and finds
 * the fan-out audience in the same read that gives the current {@code lastSeq}.
 */
public record Room(String id, String name, String avatarUrl, String externalId, String customType,
                   Map<String, Object> metadata, boolean frozen, long lastSeq, LastMessage lastMessage,
                   List<String> memberIds, String createdAt, String updatedAt) {

    public boolean hasMember(String userId) {
        return memberIds.contains(userId);
    }

    /** The room with another seq, member list and frozen state, as a refused append found them. */
    public Room withState(long seq, List<String> members, boolean isFrozen) {
        return new Room(id, name, avatarUrl, externalId, customType, metadata, isFrozen, seq, lastMessage, members,
                createdAt, updatedAt);
    }

    /** The room as it is after {@code message} was appended. */
    public Room withLastMessage(LastMessage message) {
        return new Room(id, name, avatarUrl, externalId, customType, metadata, frozen, message.seq(), message, memberIds,
                createdAt, message.createdAt());
    }
}
