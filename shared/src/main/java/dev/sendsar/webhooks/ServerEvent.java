package dev.sendsar.webhooks;

import java.util.LinkedHashMap;
import java.util.Map;

/** An event of §7, in the body's field order. */
public record ServerEvent(String id, String type, String tenantId, String createdAt, String roomId, String roomExternalId,
                          String senderId, String body, Object data) {
    public static final String MESSAGE_CREATED = "message.created";
    public static final String MESSAGE_UPDATED = "message.updated";
    public static final String MESSAGE_DELETED = "message.deleted";
    public static final String ROOM_CREATED = "room.created";
    public static final String ROOM_PARTICIPANTS_CHANGED = "room.participants_changed";
    public static final String CONSOLE_TEST = "console.test";
    /** What a tenant may subscribe to (call events join with calls). */
    public static final java.util.List<String> TYPES = java.util.List.of(MESSAGE_CREATED, MESSAGE_UPDATED, MESSAGE_DELETED,
            ROOM_CREATED, ROOM_PARTICIPANTS_CHANGED, CONSOLE_TEST);

    /** The body of §7: {@code {id, type, tenantId, createdAt, roomId, roomExternalId, senderId, body, data}}. */
    public Map<String, Object> toBody() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        body.put("type", type);
        body.put("tenantId", tenantId);
        body.put("createdAt", createdAt);
        body.put("roomId", roomId);
        body.put("roomExternalId", roomExternalId);
        body.put("senderId", senderId);
        body.put("body", this.body);
        body.put("data", data);
        return body;
    }
}
