package dev.sendsar.ports;

import dev.sendsar.domain.Upload;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/** Upload metadata, scoped by tenant: another tenant's upload id finds nothing. */
public interface UploadRepository {

    /** Stores a pending upload that disappears by itself after {@code expiresAtEpochSeconds} unless completed. */
    void create(String tenantId, Upload upload, long expiresAtEpochSeconds);

    Optional<Upload> find(String tenantId, String uploadId);

    /** The uploads that exist among {@code uploadIds}, by id. */
    Map<String, Upload> findAll(String tenantId, Collection<String> uploadIds);

    /** Marks the upload ready for good (no expiry); false when it no longer exists. */
    boolean markReady(String tenantId, String uploadId, String completedAt);

    /** Lets the participants of {@code roomId} read the upload; nothing happens when it no longer exists. */
    void addRoom(String tenantId, String uploadId, String roomId);

    void delete(String tenantId, String uploadId);
}
