package dev.sendsar.ports;

import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * The private object store of uploads (S3). Clients never get credentials, only presigned URLs for one object
 * and one method. Storage failures propagate as unchecked exceptions.
 */
public interface ObjectStorage {

    record PresignedUrl(String url, Instant expiresAt) {
    }

    /** A URL that accepts one PUT of the object with exactly this {@code Content-Type}. */
    PresignedUrl presignPut(String key, String contentType, Duration ttl);

    /** A URL that reads the object; {@code filename} becomes its Content-Disposition. */
    PresignedUrl presignGet(String key, String filename, Duration ttl);

    /** The stored object's size, empty when there is no such object. */
    OptionalLong size(String key);

    /** Deletes the object; no error when it is absent. */
    void delete(String key);
}
