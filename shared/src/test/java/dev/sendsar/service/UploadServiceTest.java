package dev.sendsar.service;

import dev.sendsar.domain.Caller;
import dev.sendsar.domain.Member;
import dev.sendsar.domain.Message;
import dev.sendsar.domain.Role;
import dev.sendsar.domain.Room;
import dev.sendsar.domain.Upload;
import dev.sendsar.error.ApiException;
import dev.sendsar.fakes.InMemoryStore;
import dev.sendsar.fakes.InMemoryTenantDirectory;
import dev.sendsar.fakes.InMemoryUploads;
import dev.sendsar.fakes.TestConfig;
import dev.sendsar.json.Json;
import dev.sendsar.ports.TenantDirectory;
import dev.sendsar.settings.TenantSettingsService;
import io.micronaut.json.JsonMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UploadServiceTest {
    private static final String T = "t1";
    private static final String NOW = "2026-01-01T00:00:00.000Z";
    private final InMemoryStore store = new InMemoryStore();
    private final InMemoryUploads files = new InMemoryUploads();
    private final InMemoryTenantDirectory directory = new InMemoryTenantDirectory();
    private final TenantSettingsService settings = new TenantSettingsService(directory,
            new Json(JsonMapper.createDefault()), dev.sendsar.fakes.TestWebhookOptions.box(), new TestConfig("t", null, null));
    private final UploadService uploads = new UploadService(files.repository, files.storage, store.roomRepository,
            settings, new RateLimitService(store.rateLimiter, settings, new TestConfig("t", null, null)));
    private final Caller alice = Caller.user(T, "alice");
    private final Caller bob = Caller.user(T, "bob");
    private final Caller carol = Caller.user(T, "carol");

    @BeforeEach
    void tenantAndRoom() {
        directory.createTenant(new TenantDirectory.Tenant(T, "T", true, NOW));
        room("r1", "alice", "bob");
        room("r2", "alice", "carol");
    }

    private void room(String id, String... users) {
        store.roomRepository.create(T, new Room(id, "r", null, null, null, null, false, 0, null, null, List.of(users), 0, NOW, NOW),
                java.util.Arrays.stream(users).map(u -> Member.joining(id, u, u, Role.MEMBER, NOW)).toList());
    }

    private String uploaded(Caller who, String roomId, byte[] bytes) {
        UploadService.PresignResponse p = uploads.presign(who,
                new UploadService.PresignRequest("photo.png", "image/png", (long) bytes.length, roomId));
        files.put(Upload.pendingObjectKey(T, p.uploadId()), bytes);
        assertEquals("ready", uploads.complete(who, p.uploadId()).status());
        return p.uploadId();
    }

    @Test
    void presign_givesAPutUrlThatExpiresPerTheTenantsTtl() {
        UploadService.PresignResponse p = uploads.presign(alice,
                new UploadService.PresignRequest("a.pdf", "application/pdf", 10L, null));
        assertEquals("PUT", p.method());
        assertEquals(Map.of("Content-Type", "application/pdf"), p.headers());
        assertTrue(p.uploadUrl().contains(p.uploadId()));
        long ttl = java.time.Duration.between(java.time.Instant.now(), java.time.Instant.parse(p.uploadUrlExpiresAt())).getSeconds();
        assertTrue(ttl > 290 && ttl <= 300, "ttl " + ttl);
    }

    @Test
    void presign_checksSizeAndTypeAgainstTheTenantsMediaSettings() {
        ApiException big = assertThrows(ApiException.class, () -> uploads.presign(alice,
                new UploadService.PresignRequest("big.mp4", "video/mp4", 10_485_761L, null)));
        assertEquals("file_too_large", big.code());
        assertEquals("sizeBytes", big.details().get(0).field());
        ApiException type = assertThrows(ApiException.class, () -> uploads.presign(alice,
                new UploadService.PresignRequest("x.exe", "application/x-msdownload", 10L, null)));
        assertEquals("media_type_not_allowed", type.code());
        ApiException bad = assertThrows(ApiException.class, () -> uploads.presign(alice,
                new UploadService.PresignRequest("../x", "nonsense", 0L, null)));
        assertEquals(List.of("filename", "mediaType", "sizeBytes"), bad.details().stream().map(f -> f.field()).sorted().toList());

        settings.patch(Caller.apiKey(T, "test-key"), Map.of("chat", Map.of("media", Map.of("enabled", false))));
        ApiException off = assertThrows(ApiException.class, () -> uploads.presign(alice,
                new UploadService.PresignRequest("a.png", "image/png", 10L, null)));
        assertEquals(403, off.status());
        assertEquals("media_disabled", off.code());
    }

    @Test
    void presign_forARoomTheUserIsNotIn_is404() {
        ApiException e = assertThrows(ApiException.class, () -> uploads.presign(bob,
                new UploadService.PresignRequest("a.png", "image/png", 10L, "r2")));
        assertEquals(404, e.status());
    }

    @Test
    void complete_checksThatTheObjectExistsWithTheAnnouncedSize() {
        UploadService.PresignResponse p = uploads.presign(alice, new UploadService.PresignRequest("a.png", "image/png", 4L, null));
        assertEquals("upload_incomplete", assertThrows(ApiException.class, () -> uploads.complete(alice, p.uploadId())).code());
        files.put(Upload.pendingObjectKey(T, p.uploadId()), new byte[3]);
        assertEquals("size_mismatch", assertThrows(ApiException.class, () -> uploads.complete(alice, p.uploadId())).code());
        files.put(Upload.pendingObjectKey(T, p.uploadId()), new byte[4]);
        assertEquals(new UploadService.CompleteResponse(p.uploadId(), "ready", 4), uploads.complete(alice, p.uploadId()));
        assertEquals(new UploadService.CompleteResponse(p.uploadId(), "ready", 4), uploads.complete(alice, p.uploadId()));
    }

    @Test
    void aCompletedUpload_isMovedOutOfReachOfItsUploadUrl_soItCanNeverBeReplaced() {
        String id = uploaded(alice, "r1", new byte[]{1});
        assertTrue(files.hasObject(Upload.objectKey(T, id)));
        assertFalse(files.hasObject(Upload.pendingObjectKey(T, id)), "the pending object is removed");
        files.put(Upload.pendingObjectKey(T, id), new byte[2 * 1024 * 1024]); // the upload URL used again
        uploads.complete(alice, id);
        assertEquals(1, files.storage.head(Upload.objectKey(T, id)).orElseThrow().sizeBytes());
    }

    @Test
    void complete_afterAnEarlierCompleteMovedTheBytesButStoppedBeforeMarkingReady_finishes() {
        UploadService.PresignResponse p = uploads.presign(alice, new UploadService.PresignRequest("a.png", "image/png", 3L, null));
        files.put(Upload.objectKey(T, p.uploadId()), new byte[3]);
        assertEquals("ready", uploads.complete(alice, p.uploadId()).status());
    }

    @Test
    void access_isForTheUploaderAndTheParticipantsOfItsRooms_404ForAnyoneElse() {
        String id = uploaded(alice, "r1", new byte[5]);
        assertTrue(uploads.access(alice, id).accessUrl().contains(id));
        assertTrue(uploads.access(bob, id).accessUrl().contains(id));
        assertEquals(404, assertThrows(ApiException.class, () -> uploads.access(carol, id)).status());
        assertEquals(404, assertThrows(ApiException.class, () -> uploads.access(Caller.user("t2", "alice"), id)).status());
        assertEquals(404, assertThrows(ApiException.class, () -> uploads.access(alice, "not-a-uuid")).status());
    }

    @Test
    void sharing_refusesUploadsTheSenderCannotRead_andOpensTheUploadToTheRoom() {
        String id = uploaded(alice, null, new byte[5]);
        List<Map<String, Object>> parts = List.of(Map.of("type", "file", "uploadId", id, "mediaType", "image/png", "filename", "p.png"));
        ApiException refused = assertThrows(ApiException.class, () -> uploads.checkShareable(T, "carol", parts));
        assertEquals("parts[0].uploadId", refused.details().get(0).field());

        uploads.checkShareable(T, "alice", parts);
        assertEquals(404, assertThrows(ApiException.class, () -> uploads.access(carol, id)).status());
        uploads.shareWithRoom(T, "r2", parts);
        assertTrue(uploads.access(carol, id).accessUrl().contains(id));
        assertEquals(404, assertThrows(ApiException.class, () -> uploads.access(bob, id)).status());
        assertEquals(1, uploads.accessMany(carol, new UploadService.AccessRequest(List.of(id, "missing"))).urls().size());
    }

    @Test
    void withAccessUrls_addsFreshUrlsToFileParts_andNullsForGoneUploads() {
        String id = uploaded(alice, "r1", new byte[5]);
        Map<String, Object> forged = new java.util.HashMap<>(Map.of("type", "file", "uploadId", "0e0e0e0e-0000-4000-8000-000000000000",
                "mediaType", "image/png", "filename", "x.png", "accessUrl", "https://evil.example/"));
        Message m = Message.posted("m1", "r1", 1, "alice", List.of(Map.of("type", "text", "text", "hi"),
                Map.of("type", "file", "uploadId", id, "mediaType", "image/png", "filename", "p.png"), forged), "hi", null, NOW, null);

        Message shown = uploads.withAccessUrls(T, m);
        assertEquals(m.parts().get(0), shown.parts().get(0));
        assertTrue(((String) shown.parts().get(1).get("accessUrl")).contains(id));
        assertTrue(shown.parts().get(1).get("accessUrlExpiresAt") instanceof String);
        assertNull(shown.parts().get(2).get("accessUrl"));
        assertFalse(m.parts().get(1).containsKey("accessUrl"), "the stored message is not changed");
    }

    @Test
    void abort_deletesTheObjectAndTheUpload_andOnlyTheUploaderMayAbort() {
        String id = uploaded(alice, "r1", new byte[5]);
        assertEquals(404, assertThrows(ApiException.class, () -> uploads.abort(bob, id)).status());
        uploads.abort(alice, id);
        assertFalse(files.hasObject(Upload.objectKey(T, id)));
        assertEquals(404, assertThrows(ApiException.class, () -> uploads.access(alice, id)).status());
    }

    @Test
    void presign_isRateLimitedPerUser() {
        settings.patch(Caller.apiKey(T, "test-key"), Map.of("chat", Map.of("rateLimits", Map.of("uploadPresign", 1))));
        uploads.presign(alice, new UploadService.PresignRequest("a.png", "image/png", 1L, null));
        ApiException e = assertThrows(ApiException.class, () -> uploads.presign(alice,
                new UploadService.PresignRequest("a.png", "image/png", 1L, null)));
        assertEquals(429, e.status());
    }
}
