package dev.sendsar.functions.rest;

import dev.sendsar.error.Violations;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The ids a request body carries, checked with the same rule as path and query ids ({@link IdFilter}) before any
 * service reads the body: a field named for an id ({@link #ID_FIELDS}, or a list in {@link #ID_LIST_FIELDS}), at
 * any depth ({@code participants[0].id}, {@code parts[1].uploadId}), except inside the free-form {@code metadata}
 * and {@code data} objects, which are the integrator's own. Blank ids are left to each request's validation. {@code clientMessageId} is the client's token, not one
 * of our ids: only its length is bounded (by the send's validation).
 */
final class BodyIds {
    static final Set<String> ID_FIELDS = Set.of("id", "userId", "senderId", "viewerId", "roomId", "messageId", "uploadId",
            "lastReadMessageId", "lastDeliveredMessageId", "parentMessageId", "externalId", "targetUserId");
    static final Set<String> ID_LIST_FIELDS = Set.of("targetRoomIds", "uploadIds", "roomIds", "userIds");
    private static final Set<String> FREE_FORM = Set.of("metadata", "data");
    /** JSON deeper than this is not a request of this API; the services refuse its shape anyway. */
    private static final int MAX_DEPTH = 8;

    private BodyIds() {
    }

    static Violations check(Object body) {
        Violations violations = new Violations();
        walk(body, "", 0, violations);
        return violations;
    }

    private static void walk(Object node, String path, int depth, Violations violations) {
        if (depth > MAX_DEPTH) {
            return;
        }
        if (node instanceof Map<?, ?> object) {
            object.forEach((key, value) -> {
                String name = String.valueOf(key);
                String field = path.isEmpty() ? name : path + "." + name;
                if (FREE_FORM.contains(name)) {
                    return;
                }
                if (ID_FIELDS.contains(name) && value instanceof String id) {
                    // a blank id is a missing one: the request's own validation names it with the rest
                    if (!id.isBlank()) {
                        violations.id(id, field);
                    }
                } else if (ID_LIST_FIELDS.contains(name) && value instanceof List<?> ids) {
                    for (int i = 0; i < ids.size(); i++) {
                        if (ids.get(i) instanceof String id) {
                            violations.id(id, field + "[" + i + "]");
                        }
                    }
                } else {
                    walk(value, field, depth + 1, violations);
                }
            });
        } else if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                walk(list.get(i), path + "[" + i + "]", depth + 1, violations);
            }
        }
    }
}
