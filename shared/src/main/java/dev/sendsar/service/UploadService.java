package dev.sendsar.service;

import dev.sendsar.error.ErrorCode;
import dev.sendsar.domain.Caller;
import dev.sendsar.domain.Ids;
import dev.sendsar.domain.Message;
import dev.sendsar.domain.RateLimitedAction;
import dev.sendsar.domain.Times;
import dev.sendsar.domain.Upload;
import dev.sendsar.error.ApiException;
import dev.sendsar.error.FieldError;
import dev.sendsar.error.Violations;
import dev.sendsar.ports.ObjectStorage;
import dev.sendsar.ports.RoomRepository;
import dev.sendsar.ports.UploadRepository;
import dev.sendsar.settings.TenantSettings;
import dev.sendsar.settings.TenantSettingsService;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Media uploads: the client gets a presigned PUT URL, uploads the bytes straight to object storage, then completes;
 * readers get short-lived presigned GET URLs. Objects stay private. Who may read: the uploader, the tenant's API
 * key, and the participants of the room named at presign or of any room a message with the upload was sent to.
 * Anyone else gets the 404 a missing upload gets, so upload ids do not leak.
 */
@Singleton
public class UploadService {
    /** How long a download URL works: long enough to render a conversation, short enough to stop sharing. */
    static final Duration ACCESS_TTL = Duration.ofHours(1);
    /** A pending upload that is never completed disappears this long after its upload URL expired. */
    static final Duration PENDING_GRACE = Duration.ofDays(1);
    static final int MAX_FILENAME = 255;
    static final int MAX_ACCESS_BATCH = 100;
    private static final Pattern UPLOAD_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern MEDIA_TYPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}");

    @Serdeable
    public record PresignRequest(String filename, String mediaType, Long sizeBytes, String roomId) {
    }

    /** {@code headers} are the ones the PUT must carry (the signature covers Content-Type). */
    @Serdeable
    public record PresignResponse(String uploadId, String uploadUrl, String method, String uploadUrlExpiresAt,
                                  Map<String, String> headers) {
    }

    @Serdeable
    public record CompleteResponse(String uploadId, String status, long sizeBytes) {
    }

    @Serdeable
    public record AccessUrl(String uploadId, String accessUrl, String accessUrlExpiresAt) {
    }

    @Serdeable
    public record AccessRequest(List<String> uploadIds) {
    }

    @Serdeable
    public record AccessUrls(List<AccessUrl> urls) {
    }

    private final UploadRepository uploads;
    private final ObjectStorage storage;
    private final RoomRepository rooms;
    private final TenantSettingsService settings;
    private final RateLimitService rateLimits;

    public UploadService(UploadRepository uploads, ObjectStorage storage, RoomRepository rooms,
                         TenantSettingsService settings, RateLimitService rateLimits) {
        this.uploads = uploads;
        this.storage = storage;
        this.rooms = rooms;
        this.settings = settings;
        this.rateLimits = rateLimits;
    }

    /** {@code POST /chat/uploads/presign} (session token): checks size and type against {@code chat.media}. */
    public PresignResponse presign(Caller caller, PresignRequest request) {
        String tenantId = caller.tenantId();
        rateLimits.check(tenantId, caller.userId(), RateLimitedAction.UPLOAD_PRESIGN);
        TenantSettings.Media media = settings.settings(tenantId).chat().media();
        if (!media.enabled()) {
            throw new ApiException(ErrorCode.MEDIA_DISABLED, "Media uploads are disabled for this tenant");
        }
        if (request == null) {
            throw ApiException.missingBody();
        }
        String filename = request.filename();
        new Violations()
                .check(filename != null && !filename.isBlank(), "filename", "must not be blank")
                .maxLength(filename, MAX_FILENAME, "filename")
                .check(filename == null || filename.chars().noneMatch(c -> c < 0x20 || c == 0x7f || c == '/' || c == '\\'),
                        "filename", "must not contain control characters or path separators")
                .check(request.mediaType() != null && MEDIA_TYPE.matcher(request.mediaType()).matches(), "mediaType",
                        "must be a media type like image/png")
                .check(request.sizeBytes() != null && request.sizeBytes() >= 1, "sizeBytes", "must be a positive number of bytes")
                .optionalId(request.roomId(), "roomId")
                .throwIfAny();
        if (request.sizeBytes() > media.maxFileSizeBytes()) {
            throw new ApiException(ErrorCode.FILE_TOO_LARGE, "The file is larger than this tenant allows",
                    List.of(new FieldError("sizeBytes", "must be at most " + media.maxFileSizeBytes() + " bytes")));
        }
        if (!media.allows(request.mediaType())) {
            throw new ApiException(ErrorCode.MEDIA_TYPE_NOT_ALLOWED, "This media type is not allowed for this tenant",
                    List.of(new FieldError("mediaType", "must match one of " + String.join(", ", media.allowedMimeTypes()))));
        }
        if (request.roomId() != null && rooms.member(tenantId, request.roomId(), caller.userId()).isEmpty()) {
            throw RoomService.roomNotFound();
        }
        String mediaType = request.mediaType().toLowerCase(java.util.Locale.ROOT);
        Upload upload = new Upload(Ids.uuid(), caller.userId(), filename, mediaType, request.sizeBytes(),
                Upload.PENDING, request.roomId() == null ? Set.of() : Set.of(request.roomId()), Times.now(), null);
        Duration ttl = Duration.ofSeconds(media.presignTtlSeconds());
        ObjectStorage.PresignedUrl put = storage.presignPut(Upload.pendingObjectKey(tenantId, upload.id()), mediaType,
                request.sizeBytes(), ttl);
        uploads.create(tenantId, upload, put.expiresAt().plus(PENDING_GRACE).getEpochSecond());
        return new PresignResponse(upload.id(), put.url(), "PUT", Times.format(put.expiresAt()),
                Map.of("Content-Type", mediaType));
    }

    /**
     * {@code POST /chat/uploads/{id}/complete}: the pending object must exist with the announced size; it is copied
     * to the upload's final key, which no upload URL reaches, so what readers get can never be replaced. Repeats are
     * harmless, also after a complete that stopped between the copy and marking the upload ready.
     */
    public CompleteResponse complete(Caller caller, String uploadId) {
        rateLimits.check(caller, caller.userId(), RateLimitedAction.OTHER_WRITE);
        Upload upload = own(caller, uploadId);
        if (!upload.ready()) {
            String tenantId = caller.tenantId();
            String pendingKey = Upload.pendingObjectKey(tenantId, uploadId);
            String finalKey = Upload.objectKey(tenantId, uploadId);
            java.util.Optional<ObjectStorage.StoredObject> pending = storage.head(pendingKey);
            if (pending.isEmpty()) {
                if (storage.head(finalKey).map(o -> o.sizeBytes() == upload.sizeBytes()).orElse(false)) {
                    return ready(caller, upload); // moved by an earlier complete that stopped before marking it ready
                }
                throw new ApiException(ErrorCode.UPLOAD_INCOMPLETE, "Nothing was uploaded yet: PUT the file to uploadUrl first");
            }
            if (pending.get().sizeBytes() != upload.sizeBytes()) {
                throw new ApiException(ErrorCode.SIZE_MISMATCH, "The uploaded file does not have the announced size",
                        List.of(new FieldError("sizeBytes", "announced " + upload.sizeBytes() + " bytes, uploaded "
                                + pending.get().sizeBytes())));
            }
            if (!storage.copy(pendingKey, pending.get().etag(), finalKey)) {
                throw new ApiException(ErrorCode.UPLOAD_CHANGED, "The file was replaced while completing; complete again");
            }
            storage.delete(pendingKey);
            return ready(caller, upload);
        }
        return new CompleteResponse(uploadId, Upload.READY, upload.sizeBytes());
    }

    private CompleteResponse ready(Caller caller, Upload upload) {
        if (!uploads.markReady(caller.tenantId(), upload.id(), Times.now())) {
            throw uploadNotFound();
        }
        return new CompleteResponse(upload.id(), Upload.READY, upload.sizeBytes());
    }

    /** {@code DELETE /chat/uploads/{id}}: the uploader removes the object and its metadata, sent or not. */
    public void abort(Caller caller, String uploadId) {
        rateLimits.check(caller, caller.userId(), RateLimitedAction.OTHER_WRITE);
        own(caller, uploadId);
        storage.delete(Upload.pendingObjectKey(caller.tenantId(), uploadId));
        storage.delete(Upload.objectKey(caller.tenantId(), uploadId));
        uploads.delete(caller.tenantId(), uploadId);
    }

    /** {@code GET /chat/uploads/{id}/access}. */
    public AccessUrl access(Caller caller, String uploadId) {
        Upload upload = find(caller.tenantId(), uploadId)
                .filter(u -> mayRead(caller.tenantId(), caller, u))
                .orElseThrow(UploadService::uploadNotFound);
        if (!upload.ready()) {
            throw new ApiException(ErrorCode.UPLOAD_NOT_READY, "The upload is not complete yet");
        }
        return accessUrl(caller.tenantId(), upload);
    }

    /** {@code POST /chat/uploads/access}: URLs for the readable, complete uploads among the ids, in request order. */
    public AccessUrls accessMany(Caller caller, AccessRequest request) {
        if (request == null) {
            throw ApiException.missingBody();
        }
        Violations v = new Violations().size(request.uploadIds(), 1, MAX_ACCESS_BATCH, "uploadIds");
        List<String> ids = request.uploadIds() == null ? List.of() : request.uploadIds();
        for (int i = 0; i < ids.size(); i++) {
            v.check(ids.get(i) != null && !ids.get(i).isBlank(), "uploadIds[" + i + "]", "must not be blank");
        }
        v.throwIfAny();
        Map<String, Upload> found = findAll(caller.tenantId(), ids);
        List<AccessUrl> urls = new ArrayList<>();
        for (String id : new LinkedHashSet<>(ids)) {
            Upload u = found.get(id);
            if (u != null && u.ready() && mayRead(caller.tenantId(), caller, u)) {
                urls.add(accessUrl(caller.tenantId(), u));
            }
        }
        return new AccessUrls(urls);
    }

    /**
     * Before a message with file parts is appended: each upload must be complete and readable by the sender (its
     * own, or one it could read because it was shared with it). A bad upload id is a 400 naming the part.
     */
    public void checkShareable(String tenantId, String senderId, List<Map<String, Object>> parts) {
        List<String> ids = uploadIdsOf(parts);
        if (ids.isEmpty()) {
            return;
        }
        Map<String, Upload> found = findAll(tenantId, ids);
        Violations v = new Violations();
        for (int i = 0; i < parts.size(); i++) {
            if (parts.get(i) != null && "file".equals(parts.get(i).get("type")) && parts.get(i).get("uploadId") instanceof String id) {
                Upload u = found.get(id);
                v.check(u != null && u.ready() && mayRead(tenantId, Caller.user(tenantId, senderId), u),
                        "parts[" + i + "].uploadId", "is not a completed upload the sender may share");
            }
        }
        v.throwIfAny();
    }

    /** Once the message is stored: the room's participants may now read its uploads. */
    public void shareWithRoom(String tenantId, String roomId, List<Map<String, Object>> parts) {
        List<String> ids = uploadIdsOf(parts);
        if (ids.isEmpty()) {
            return;
        }
        findAll(tenantId, ids).values().stream().filter(u -> !u.roomIds().contains(roomId))
                .forEach(u -> uploads.addRoom(tenantId, u.id(), roomId));
    }

    /**
     * The message as a reader of its room sees it: each file part gains a fresh {@code accessUrl} and
     * {@code accessUrlExpiresAt}, replacing whatever is stored there. A URL is signed only for a completed upload
     * shared with the message's room (see {@link #shareWithRoom}): whatever path put a part into a message, a
     * participant never gets the bytes of an upload the room may not read. Otherwise both are null. Nothing is stored.
     */
    public Message withAccessUrls(String tenantId, Message message) {
        return withAccessUrls(tenantId, List.of(message)).get(0);
    }

    /** Like {@link #withAccessUrls(String, Message)} for a page of messages, with one batch read. */
    public List<Message> withAccessUrls(String tenantId, List<Message> messages) {
        List<String> ids = new ArrayList<>();
        messages.forEach(m -> ids.addAll(uploadIdsOf(m.parts())));
        if (ids.isEmpty()) {
            return messages;
        }
        Map<String, Upload> found = findAll(tenantId, ids);
        Map<String, AccessUrl> urls = new LinkedHashMap<>();
        found.values().stream().filter(Upload::ready).forEach(u -> urls.put(u.id(), accessUrl(tenantId, u)));
        return messages.stream().map(m -> uploadIdsOf(m.parts()).isEmpty() ? m : m.withParts(m.parts().stream().map(part -> {
            if (part == null || !"file".equals(part.get("type"))) {
                return part;
            }
            Map<String, Object> copy = new LinkedHashMap<>(part);
            String id = part.get("uploadId") instanceof String s ? s : null;
            boolean readable = id != null && found.containsKey(id) && found.get(id).roomIds().contains(m.roomId());
            AccessUrl url = readable ? urls.get(id) : null;
            copy.put("accessUrl", url == null ? null : url.accessUrl());
            copy.put("accessUrlExpiresAt", url == null ? null : url.accessUrlExpiresAt());
            return copy;
        }).toList())).toList();
    }

    private AccessUrl accessUrl(String tenantId, Upload upload) {
        ObjectStorage.PresignedUrl get = storage.presignGet(Upload.objectKey(tenantId, upload.id()), upload.filename(), ACCESS_TTL);
        return new AccessUrl(upload.id(), get.url(), Times.format(get.expiresAt()));
    }

    private boolean mayRead(String tenantId, Caller caller, Upload upload) {
        if (!caller.isUser() || caller.userId().equals(upload.ownerId())) {
            return true;
        }
        return upload.roomIds().stream().anyMatch(roomId -> rooms.member(tenantId, roomId, caller.userId()).isPresent());
    }

    /** The caller's own upload; anyone else's is as missing as one that does not exist. */
    private Upload own(Caller caller, String uploadId) {
        return find(caller.tenantId(), uploadId)
                .filter(u -> u.ownerId().equals(caller.userId()))
                .orElseThrow(UploadService::uploadNotFound);
    }

    /** Ids the server made are UUIDs; anything else cannot exist and never reaches the table. */
    private java.util.Optional<Upload> find(String tenantId, String uploadId) {
        return uploadId != null && UPLOAD_ID.matcher(uploadId).matches() ? uploads.find(tenantId, uploadId)
                : java.util.Optional.empty();
    }

    private Map<String, Upload> findAll(String tenantId, Collection<String> uploadIds) {
        List<String> valid = uploadIds.stream().filter(id -> id != null && UPLOAD_ID.matcher(id).matches()).toList();
        return valid.isEmpty() ? Map.of() : uploads.findAll(tenantId, valid);
    }

    private static List<String> uploadIdsOf(Collection<Map<String, Object>> parts) {
        if (parts == null) {
            return List.of();
        }
        return parts.stream().filter(p -> p != null && "file".equals(p.get("type")) && p.get("uploadId") instanceof String)
                .map(p -> (String) p.get("uploadId")).distinct().toList();
    }

    static ApiException uploadNotFound() {
        return new ApiException(ErrorCode.UPLOAD_NOT_FOUND, "Upload not found");
    }
}
