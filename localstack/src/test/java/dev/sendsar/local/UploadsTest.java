package dev.sendsar.local;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Media uploads end to end: presign, a real PUT to s3proxy, complete, download through the access URL. */
class UploadsTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final LocalStack stack = TestStack.get();

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    private static HttpResponse<byte[]> put(String url, String contentType, byte[] body) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", contentType)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static HttpResponse<byte[]> download(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String presignBody(String filename, String mediaType, long size, String roomId) {
        return "{\"filename\":\"" + filename + "\",\"mediaType\":\"" + mediaType + "\",\"sizeBytes\":" + size
                + (roomId == null ? "" : ",\"roomId\":\"" + roomId + "\"") + "}";
    }

    @Test
    void fullFlow_presignPutCompleteSendAndDownloadTheSameBytes() throws Exception {
        Api server = Api.newTenant(stack);
        Api alice = Api.withToken(stack, server.tokenFor("alice"));
        Api bob = Api.withToken(stack, server.tokenFor("bob"));
        Api carol = Api.withToken(stack, server.tokenFor("carol"));
        String room = server.room("alice", "bob");
        byte[] photo = bytes(70_000);

        Api.Response presigned = alice.post("/chat/uploads/presign", presignBody("holiday photo.png", "image/png", photo.length, null));
        assertEquals(200, presigned.status(), presigned.raw().body());
        String uploadId = presigned.body().path("uploadId").asText();
        String uploadUrl = presigned.body().path("uploadUrl").asText();
        assertEquals("PUT", presigned.body().path("method").asText());
        assertTrue(uploadUrl.startsWith("http://127.0.0.1:"), uploadUrl);
        assertTrue(presigned.body().path("uploadUrlExpiresAt").asText().endsWith("Z"));

        Api.Response early = alice.post("/chat/uploads/" + uploadId + "/complete", "");
        assertEquals(400, early.status());
        assertEquals("upload_incomplete", early.code());
        assertEquals(403, put(uploadUrl, "image/jpeg", photo).statusCode(), "the signature covers the Content-Type");
        assertEquals(200, put(uploadUrl, "image/png", photo).statusCode());

        Api.Response completed = alice.post("/chat/uploads/" + uploadId + "/complete", "");
        assertEquals(200, completed.status(), completed.raw().body());
        assertEquals("{\"uploadId\":\"" + uploadId + "\",\"status\":\"ready\",\"sizeBytes\":70000}", completed.body().toString());

        Api.Response access = alice.get("/chat/uploads/" + uploadId + "/access");
        assertEquals(200, access.status());
        HttpResponse<byte[]> got = download(access.body().path("accessUrl").asText());
        assertEquals(200, got.statusCode());
        assertArrayEquals(photo, got.body());
        assertEquals(404, bob.get("/chat/uploads/" + uploadId + "/access").status(), "not shared with bob yet");

        Api.Response sent = alice.post("/chat/rooms/" + room + "/messages", "{\"parts\":[{\"type\":\"file\",\"uploadId\":\""
                + uploadId + "\",\"mediaType\":\"image/png\",\"filename\":\"holiday photo.png\"}]}");
        assertEquals(201, sent.status(), sent.raw().body());
        JsonNode part = sent.body().path("parts").get(0);
        assertTrue(part.path("accessUrl").asText().startsWith("http://127.0.0.1:"));
        assertTrue(part.path("accessUrlExpiresAt").asText().endsWith("Z"));

        JsonNode listed = bob.get("/chat/rooms/" + room + "/messages").body().path("messages").get(0).path("parts").get(0);
        assertArrayEquals(photo, download(listed.path("accessUrl").asText()).body());
        Api.Response bobAccess = bob.get("/chat/uploads/" + uploadId + "/access");
        assertEquals(200, bobAccess.status());
        Api.Response batch = bob.post("/chat/uploads/access", "{\"uploadIds\":[\"" + uploadId + "\",\"" + java.util.UUID.randomUUID() + "\"]}");
        assertEquals(1, batch.body().path("urls").size());
        assertEquals(uploadId, batch.body().path("urls").get(0).path("uploadId").asText());

        Api.Response stranger = carol.get("/chat/uploads/" + uploadId + "/access");
        assertEquals(404, stranger.status());
        assertEquals("upload_not_found", stranger.code());
        assertEquals(0, carol.post("/chat/uploads/access", "{\"uploadIds\":[\"" + uploadId + "\"]}").body().path("urls").size());
        Api.Response carolSends = carol.post("/chat/rooms/" + server.room("carol", "alice") + "/messages",
                "{\"parts\":[{\"type\":\"file\",\"uploadId\":\"" + uploadId + "\",\"mediaType\":\"image/png\",\"filename\":\"x.png\"}]}");
        assertEquals(400, carolSends.status());
        assertTrue(carolSends.body().path("details").toString().contains("parts[0].uploadId"));

        Api otherTenant = Api.newTenant(stack);
        Api mallory = Api.withToken(stack, otherTenant.tokenFor("alice"));
        assertEquals(404, mallory.get("/chat/uploads/" + uploadId + "/access").status());
        assertEquals(404, mallory.send("DELETE", "/chat/uploads/" + uploadId, null).status());
    }

    @Test
    void presignForARoom_letsItsParticipantsRead_andAbortDeletesTheObject() throws Exception {
        Api server = Api.newTenant(stack);
        Api alice = Api.withToken(stack, server.tokenFor("alice"));
        Api bob = Api.withToken(stack, server.tokenFor("bob"));
        String room = server.room("alice", "bob");
        byte[] doc = "%PDF-1.4 tiny".getBytes(StandardCharsets.US_ASCII);

        JsonNode p = alice.post("/chat/uploads/presign", presignBody("a.pdf", "application/pdf", doc.length, room)).body();
        String uploadId = p.path("uploadId").asText();
        assertEquals(200, put(p.path("uploadUrl").asText(), "application/pdf", doc).statusCode());
        assertEquals(200, alice.post("/chat/uploads/" + uploadId + "/complete", "").status());
        String bobsUrl = bob.get("/chat/uploads/" + uploadId + "/access").body().path("accessUrl").asText();
        assertArrayEquals(doc, download(bobsUrl).body());

        assertEquals(404, bob.send("DELETE", "/chat/uploads/" + uploadId, null).status(), "only the uploader aborts");
        Api.Response aborted = alice.send("DELETE", "/chat/uploads/" + uploadId, null);
        assertEquals(204, aborted.status());
        assertEquals(404, alice.get("/chat/uploads/" + uploadId + "/access").status());
        assertEquals(404, download(bobsUrl).statusCode(), "the object is gone from the bucket");
    }

    @Test
    void sizeAndTypeAreCheckedAgainstTheTenantsMediaSettings() throws Exception {
        Api server = Api.newTenant(stack);
        Api alice = Api.withToken(stack, server.tokenFor("alice"));

        Api.Response big = alice.post("/chat/uploads/presign", presignBody("big.mp4", "video/mp4", 10_485_761L, null));
        assertEquals(400, big.status());
        assertEquals("file_too_large", big.code());
        assertTrue(big.body().path("details").toString().contains("sizeBytes"));
        Api.Response exe = alice.post("/chat/uploads/presign", presignBody("x.exe", "application/x-msdownload", 10, null));
        assertEquals("media_type_not_allowed", exe.code());
        Api.Response bad = alice.post("/chat/uploads/presign", "{\"filename\":\"\",\"mediaType\":\"png\",\"sizeBytes\":0}");
        assertEquals("validation_failed", bad.code());
        String details = bad.body().path("details").toString();
        assertTrue(details.contains("filename") && details.contains("mediaType") && details.contains("sizeBytes"), details);
        assertEquals(403, server.post("/chat/uploads/presign", presignBody("a.png", "image/png", 1, null)).status(),
                "uploads are per user: a session token");

        JsonNode p = alice.post("/chat/uploads/presign", presignBody("a.png", "image/png", 10, null)).body();
        assertEquals(403, put(p.path("uploadUrl").asText(), "image/png", bytes(11)).statusCode(), "the signature binds the size");
        Api.Response nothing = alice.post("/chat/uploads/" + p.path("uploadId").asText() + "/complete", "");
        assertEquals(400, nothing.status());
        assertEquals("upload_incomplete", nothing.code());

        server.send("PATCH", "/tenant/settings", "{\"chat\":{\"media\":{\"enabled\":false}}}");
        Api.Response disabled = alice.post("/chat/uploads/presign", presignBody("a.png", "image/png", 10, null));
        assertEquals(403, disabled.status());
        assertEquals("media_disabled", disabled.code());
    }

    @Test
    void aCompletedFileIsImmutable_theUploadUrlCannotReplaceWhatReadersGet() throws Exception {
        Api server = Api.newTenant(stack);
        Api alice = Api.withToken(stack, server.tokenFor("alice"));
        Api bob = Api.withToken(stack, server.tokenFor("bob"));
        String room = server.room("alice", "bob");
        byte[] original = bytes(1_000);
        JsonNode p = alice.post("/chat/uploads/presign", presignBody("a.png", "image/png", original.length, room)).body();
        String uploadId = p.path("uploadId").asText();
        String uploadUrl = p.path("uploadUrl").asText();
        assertEquals(200, put(uploadUrl, "image/png", original).statusCode());
        assertEquals(200, alice.post("/chat/uploads/" + uploadId + "/complete", "").status());

        byte[] replacement = bytes(999);
        java.util.Arrays.fill(replacement, (byte) 7);
        byte[] sameSize = java.util.Arrays.copyOf(replacement, original.length);
        assertEquals(200, put(uploadUrl, "image/png", sameSize).statusCode(), "the URL still works until it expires...");
        assertEquals(200, alice.post("/chat/uploads/" + uploadId + "/complete", "").status());
        String url = bob.get("/chat/uploads/" + uploadId + "/access").body().path("accessUrl").asText();
        assertArrayEquals(original, download(url).body(), "...but never reaches what readers download");
    }

    @Test
    void uploadsNeverCompleted_areDeleted() throws Exception {
        Api server = Api.newTenant(stack);
        Api alice = Api.withToken(stack, server.tokenFor("alice"));
        JsonNode abandoned = alice.post("/chat/uploads/presign", presignBody("a.png", "image/png", 5, null)).body();
        assertEquals(200, put(abandoned.path("uploadUrl").asText(), "image/png", bytes(5)).statusCode());
        JsonNode kept = alice.post("/chat/uploads/presign", presignBody("b.png", "image/png", 6, null)).body();
        assertEquals(200, put(kept.path("uploadUrl").asText(), "image/png", bytes(6)).statusCode());
        assertEquals(200, alice.post("/chat/uploads/" + kept.path("uploadId").asText() + "/complete", "").status());

        assertTrue(stack.sweepPendingUploads(java.time.Instant.now().plusSeconds(60)) >= 1);
        assertEquals("upload_incomplete", alice.post("/chat/uploads/" + abandoned.path("uploadId").asText() + "/complete", "").code());
        String keptUrl = alice.get("/chat/uploads/" + kept.path("uploadId").asText() + "/access").body().path("accessUrl").asText();
        assertArrayEquals(bytes(6), download(keptUrl).body(), "a completed upload is not swept");
    }

    @Test
    void theBucketAnswersCorsPreflights_soABrowserPageCanPut() throws Exception {
        Api server = Api.newTenant(stack);
        Api alice = Api.withToken(stack, server.tokenFor("alice"));
        String url = alice.post("/chat/uploads/presign", presignBody("a.png", "image/png", 3, null)).body().path("uploadUrl").asText();
        HttpResponse<String> preflight = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "http://localhost:5173")
                .header("Access-Control-Request-Method", "PUT")
                .header("Access-Control-Request-Headers", "content-type").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, preflight.statusCode());
        assertFalse(preflight.headers().firstValue("Access-Control-Allow-Origin").orElse("").isEmpty());
    }
}
