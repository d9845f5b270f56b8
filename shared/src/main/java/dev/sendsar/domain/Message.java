package dev.sendsar.domain;

import io.micronaut.serde.annotation.Serdeable;

import java.util.List;
import java.util.Map;

/** A message exactly as the API shows it. {@code seq} is per room, from 1, with no gaps. */
@Serdeable
public record Message(String id, String roomId, long seq, String senderId, List<Map<String, Object>> parts,
                      String previewText, String clientMessageId, String createdAt, String editedAt,
                      String deletedAt, boolean deletedHidden, List<Reaction> reactions, String parentMessageId,
                      ParentPreview parentMessage, String pinnedAt, String pinnedBy, String forwardedFromId,
                      String forwardedFromSenderId) {

    @Serdeable
    public record Reaction(String userId, String emoji) {
    }

    @Serdeable
    public record ParentPreview(String id, String senderId, List<Map<String, Object>> parts, String previewText,
                                boolean deleted) {
    }

    public static Message posted(String id, String roomId, long seq, String senderId,
                                 List<Map<String, Object>> parts, String previewText, String clientMessageId,
                                 String createdAt, String parentMessageId) {
        return new Message(id, roomId, seq, senderId, parts, previewText, clientMessageId, createdAt, null, null,
                false, List.of(), parentMessageId, null, null, null, null, null);
    }

    public Message withParts(List<Map<String, Object>> newParts) {
        return new Message(id, roomId, seq, senderId, newParts, previewText, clientMessageId, createdAt, editedAt,
                deletedAt, deletedHidden, reactions, parentMessageId, parentMessage, pinnedAt, pinnedBy,
                forwardedFromId, forwardedFromSenderId);
    }

    public Message withParent(ParentPreview parent) {
        return new Message(id, roomId, seq, senderId, parts, previewText, clientMessageId, createdAt, editedAt,
                deletedAt, deletedHidden, reactions, parentMessageId, parent, pinnedAt, pinnedBy,
                forwardedFromId, forwardedFromSenderId);
    }

}
