package dev.sendsar.ports;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The private object store of uploads (S3). Clients never get credentials, only presigned URLs for one object
 * and one method. Storage failures propagate as unchecked exceptions.
 */
public interface ObjectStorage {

    record PresignedUrl(String url, Instant expiresAt) {
    }

    /** A stored object: its size and ETag (which changes whenever the object is replaced). */
    record StoredObject(long sizeBytes, String etag) {
    }

    /** A URL that accepts a PUT of the object with exactly this {@code Content-Type} and {@code Content-Length}. */
    PresignedUrl presignPut(String key, String contentType, long sizeBytes, Duration ttl);

    /** A URL that reads the object; {@code filename} becomes its Content-Disposition. */
    PresignedUrl presignGet(String key, String filename, Duration ttl);

    /** The stored object, empty when there is no such object. */
    Optional<StoredObject> head(String key);

    /**
     * Copies {@code fromKey} to {@code toKey} if {@code fromKey} still has {@code etag}; false when it was replaced
     * or removed meanwhile (nothing is copied then).
     */
    boolean copy(String fromKey, String etag, String toKey);

    /** Deletes the object; no error when it is absent. */
    void delete(String key);
}
