package dev.sendsar.domain;

import java.util.List;
import java.util.Map;

/**
 * A conversation. {@code memberIds} is read with the room (one query) so that a send authorizes the sender and finds
 * the fan-out audience in the same read that gives the current {@code lastSeq}; {@code membersVersion} grows with
 * every change of the member list, so a refused send can tell whether the list it holds is still current.
 */
public record Room(String id, String name, String avatarUrl, String externalId, String customType,
                   Map<String, Object> metadata, boolean frozen, long lastSeq, LastMessage lastMessage,
                   List<String> memberIds, long membersVersion, String createdAt, String updatedAt) {

    public boolean hasMember(String userId) {
        return memberIds.contains(userId);
    }

    /** The room with another seq and frozen state, as a refused append found them (its members unchanged). */
    public Room withState(long seq, boolean isFrozen) {
        return new Room(id, name, avatarUrl, externalId, customType, metadata, isFrozen, seq, lastMessage, memberIds,
                membersVersion, createdAt, updatedAt);
    }

    /** The room as it is after {@code message} was appended. */
    public Room withLastMessage(LastMessage message) {
        return new Room(id, name, avatarUrl, externalId, customType, metadata, frozen, message.seq(), message, memberIds,
                membersVersion, createdAt, message.createdAt());
    }
}
