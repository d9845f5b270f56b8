package dev.sendsar.domain;

import java.util.Set;

/**
 * A media upload: metadata of one private object. {@code roomIds} are the rooms whose participants may read it:
 * the room named at presign and every room a message with it was sent to.
 */
public record Upload(String id, String ownerId, String filename, String mediaType, long sizeBytes, String status,
                     Set<String> roomIds, String createdAt, String completedAt) {
    public static final String PENDING = "pending";
    public static final String READY = "ready";

    public boolean ready() {
        return READY.equals(status);
    }

    /** Where the bytes are: one prefix per tenant, so a bucket policy or lifecycle rule can address a tenant. */
    public static String objectKey(String tenantId, String uploadId) {
        return "t/" + tenantId + "/" + uploadId;
    }
}
