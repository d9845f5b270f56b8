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

    /**
     * Objects of uploads not completed yet; the bucket's lifecycle rule deletes what stays here. Inside {@code t/}
     * (the functions' grants) but never a tenant's prefix: {@code ~} is not allowed in a tenant id.
     */
    public static final String PENDING_PREFIX = "t/~pending/";
    /** Upload URLs live at most an hour: a pending object older than this many days was abandoned and is deleted. */
    public static final int PENDING_OBJECT_DAYS = 2;

    /**
     * Where a completed upload's bytes are: one prefix per tenant, so a bucket policy or lifecycle rule can address a
     * tenant. Only {@code complete} writes here (a copy of the checked pending object): no presigned URL ever points
     * here, so a completed file cannot be replaced.
     */
    public static String objectKey(String tenantId, String uploadId) {
        return "t/" + tenantId + "/" + uploadId;
    }

    /** Where the presigned PUT puts the bytes until {@code complete} checks and moves them. */
    public static String pendingObjectKey(String tenantId, String uploadId) {
        return PENDING_PREFIX + tenantId + "/" + uploadId;
    }
}
