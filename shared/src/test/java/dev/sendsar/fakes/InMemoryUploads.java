package dev.sendsar.fakes;

import dev.sendsar.domain.Upload;
import dev.sendsar.ports.ObjectStorage;
import dev.sendsar.ports.UploadRepository;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Upload metadata and a bucket in memory. Presigned URLs are fake ({@code mem://}); {@link #put} stands for the client's PUT. */
public final class InMemoryUploads {
    private final Map<String, Upload> uploads = new HashMap<>();
    private final Map<String, byte[]> objects = new HashMap<>();

    private static String k(String tenantId, String id) {
        return tenantId + "/" + id;
    }

    /** The client's PUT to the presigned URL (of the upload's pending key). */
    public synchronized void put(String key, byte[] bytes) {
        objects.put(key, bytes);
    }

    public synchronized boolean hasObject(String key) {
        return objects.containsKey(key);
    }

    public final UploadRepository repository = new UploadRepository() {
        @Override
        public void create(String tenantId, Upload upload, long expiresAtEpochSeconds) {
            synchronized (InMemoryUploads.this) {
                uploads.put(k(tenantId, upload.id()), upload);
            }
        }

        @Override
        public Optional<Upload> find(String tenantId, String uploadId) {
            synchronized (InMemoryUploads.this) {
                return Optional.ofNullable(uploads.get(k(tenantId, uploadId)));
            }
        }

        @Override
        public Map<String, Upload> findAll(String tenantId, Collection<String> uploadIds) {
            Map<String, Upload> found = new HashMap<>();
            uploadIds.forEach(id -> find(tenantId, id).ifPresent(u -> found.put(id, u)));
            return found;
        }

        @Override
        public boolean markReady(String tenantId, String uploadId, String completedAt) {
            synchronized (InMemoryUploads.this) {
                Upload u = uploads.get(k(tenantId, uploadId));
                if (u == null) {
                    return false;
                }
                uploads.put(k(tenantId, uploadId), new Upload(u.id(), u.ownerId(), u.filename(), u.mediaType(),
                        u.sizeBytes(), Upload.READY, u.roomIds(), u.createdAt(), completedAt));
                return true;
            }
        }

        @Override
        public void addRoom(String tenantId, String uploadId, String roomId) {
            synchronized (InMemoryUploads.this) {
                Upload u = uploads.get(k(tenantId, uploadId));
                if (u != null) {
                    Set<String> rooms = new HashSet<>(u.roomIds());
                    rooms.add(roomId);
                    uploads.put(k(tenantId, uploadId), new Upload(u.id(), u.ownerId(), u.filename(), u.mediaType(),
                            u.sizeBytes(), u.status(), Set.copyOf(rooms), u.createdAt(), u.completedAt()));
                }
            }
        }

        @Override
        public void delete(String tenantId, String uploadId) {
            synchronized (InMemoryUploads.this) {
                uploads.remove(k(tenantId, uploadId));
            }
        }
    };

    public final ObjectStorage storage = new ObjectStorage() {
        @Override
        public PresignedUrl presignPut(String key, String contentType, long sizeBytes, Duration ttl) {
            return new PresignedUrl("mem://put/" + key, Instant.now().plus(ttl));
        }

        @Override
        public PresignedUrl presignGet(String key, String filename, Duration ttl) {
            return new PresignedUrl("mem://get/" + key, Instant.now().plus(ttl));
        }

        @Override
        public Optional<StoredObject> head(String key) {
            synchronized (InMemoryUploads.this) {
                byte[] bytes = objects.get(key);
                return bytes == null ? Optional.empty()
                        : Optional.of(new StoredObject(bytes.length, Integer.toHexString(java.util.Arrays.hashCode(bytes))));
            }
        }

        @Override
        public boolean copy(String fromKey, String etag, String toKey) {
            synchronized (InMemoryUploads.this) {
                if (head(fromKey).filter(o -> o.etag().equals(etag)).isEmpty()) {
                    return false;
                }
                objects.put(toKey, objects.get(fromKey).clone());
                return true;
            }
        }

        @Override
        public void delete(String key) {
            synchronized (InMemoryUploads.this) {
                objects.remove(key);
            }
        }
    };
}
