package dev.sendsar.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A conversation. {@code memberIds} is read with the room (one query) so that a send authorizes the sender and finds
 * the fan-out audience in the same read that gives the current {@code lastSeq}; {@code membersVersion} grows with
 * every change of the member list, so a refused send can tell whether the list it holds is still current.
 * {@code priorMessage} is the newest message of the latest sender other than {@code lastMessage}'s: the two name the
 * read positions of their senders (sending marks read, see {@link Member#readIn}), so a send need not write the
 * sender's cursor.
 */
public record Room(String id, String name, String avatarUrl, String externalId, String customType,
                   Map<String, Object> metadata, boolean frozen, long lastSeq, LastMessage lastMessage,
                   LastMessage priorMessage, List<String> memberIds, long membersVersion, String createdAt,
                   String updatedAt) {

    public boolean hasMember(String userId) {
        return memberIds.contains(userId);
    }

    /** The room with another seq and frozen state, as a refused append found them (its members unchanged). */
    public Room withState(long seq, boolean isFrozen) {
        return new Room(id, name, avatarUrl, externalId, customType, metadata, isFrozen, seq, lastMessage, priorMessage,
                memberIds, membersVersion, createdAt, updatedAt);
    }

    /** This room's member list with {@code head}'s seq, newest messages and frozen state (a room item read alone). */
    public Room withHead(Room head) {
        return new Room(id, name, avatarUrl, externalId, customType, metadata, head.frozen(), head.lastSeq(),
                head.lastMessage(), head.priorMessage(), memberIds, membersVersion, createdAt, head.updatedAt());
    }

    /**
     * The room as it is after {@code message} was appended: the last message before it becomes the prior one when
     * another user sent it; a message of the same sender replaces the last one and keeps the prior.
     */
    public Room withLastMessage(LastMessage message) {
        LastMessage prior = lastMessage == null || lastMessage.senderId().equals(message.senderId()) ? priorMessage : lastMessage;
        return new Room(id, name, avatarUrl, externalId, customType, metadata, frozen, message.seq(), message, prior,
                memberIds, membersVersion, createdAt, message.createdAt());
    }

    /** The read positions the room names: its last message and the prior one, each its sender's (see above). */
    public List<LastMessage> namedPositions() {
        List<LastMessage> named = new ArrayList<>(2);
        if (lastMessage != null) {
            named.add(lastMessage);
        }
        if (priorMessage != null) {
            named.add(priorMessage);
        }
        return named;
    }

    /** Whether the room names {@code userId} as having read through {@code seq} (or later). */
    public boolean namesReadThrough(String userId, long seq) {
        return namedPositions().stream().anyMatch(p -> p.senderId().equals(userId) && p.seq() >= seq);
    }

    /**
     * The positions this room names that {@code after} (the room once moved) no longer names at them or later: their
     * senders' cursors must take them, or those senders would see their own messages as unread.
     */
    public List<LastMessage> positionsLeftIn(Room after) {
        return namedPositions().stream().filter(p -> !after.namesReadThrough(p.senderId(), p.seq())).toList();
    }
}
