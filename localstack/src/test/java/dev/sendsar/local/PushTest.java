package dev.sendsar.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sendsar.domain.Connection;
import dev.sendsar.ports.ConnectionRepository;
import dev.sendsar.ports.DeviceTokenRepository;
import dev.sendsar.ports.TenantDirectory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.SSLException;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Push end to end (contract §8): a message committed on the local stack reaches the fake FCM, APNs, OneSignal and
 * Web Push services (APNs and Web Push over HTTP/2 with TLS) for offline participants only, never for a muted room;
 * dead tokens are deleted; a 503 is retried and delivered once; credentials are stored sealed.
 */
class PushTest {
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private static final LocalStack stack = TestStack.get();
    private static final PushFakes fakes = PushFakes.get();
    private static Api server;
    private static String tenantId;
    private static KeyPair browserKeys;
    private static byte[] browserAuth;

    @BeforeAll
    static void tenantWithEveryProvider() throws Exception {
        server = Api.newTenant(stack);
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        ObjectNode serviceAccount = Api.JSON.createObjectNode()
                .put("type", "service_account").put("project_id", "demo-project")
                .put("private_key_id", "k1").put("private_key", pem(rsa.generateKeyPair().getPrivate().getEncoded()))
                .put("client_email", "push@demo-project.iam.gserviceaccount.com").put("client_id", "1")
                .put("token_uri", fakes.url() + "/token");
        KeyPair apnsKey = ec();
        KeyPair vapid = ec();
        ObjectNode push = Api.JSON.createObjectNode();
        push.putObject("fcm").put("serviceAccountJson", serviceAccount.toString());
        push.putObject("apns").put("teamId", "TEAM123456").put("keyId", "KEY1234567")
                .put("privateKey", pem(apnsKey.getPrivate().getEncoded())).put("bundleId", "dev.sendsar.demo").put("production", false);
        push.putObject("onesignal").put("appId", "5eb5a37e-b458-11e3-ac11-000c2940e62c").put("apiKey", "os_v2_app_secret");
        push.putObject("webpush").put("vapidPublicKey", B64URL.encodeToString(uncompressed((ECPublicKey) vapid.getPublic())))
                .put("vapidPrivateKey", B64URL.encodeToString(scalar((ECPrivateKey) vapid.getPrivate())))
                .put("subject", "mailto:ops@example.com");
        ObjectNode patch = Api.JSON.createObjectNode();
        patch.set("push", push);
        Api.Response patched = server.send("PATCH", "/tenant/settings", patch.toString());
        assertEquals(200, patched.status(), patched.raw().body());
        String token = server.tokenFor("probe");
        tenantId = Api.tenantOf(token);
        browserKeys = ec();
        browserAuth = new byte[16];
        new java.security.SecureRandom().nextBytes(browserAuth);
    }

    @Test
    void settings_showWhichProvidersAreConfigured_neverTheSecrets() {
        Api.Response settings = server.get("/tenant/settings");
        JsonNode push = settings.body().path("push");
        for (String provider : List.of("fcm", "apns", "onesignal", "webpush")) {
            assertTrue(push.path(provider).path("configured").asBoolean(), provider);
            assertTrue(push.path(provider).path("fingerprint").asText().startsWith("sha256:"), provider);
        }
        String raw = settings.raw().body();
        assertFalse(raw.contains("PRIVATE KEY") || raw.contains("os_v2_app_secret") || raw.contains("serviceAccountJson"), raw);

        // At rest: the control plane's row holds each provider sealed, no secret (nor any other field) in plain text.
        String stored = stack.context().getBean(TenantDirectory.class).findSettings(tenantId).orElseThrow();
        for (String secret : List.of("PRIVATE KEY", "os_v2_app_secret", "private_key", "TEAM123456", "dev.sendsar.demo",
                "5eb5a37e-b458", "mailto:ops@example.com", "demo-project")) {
            assertFalse(stored.contains(secret), secret + " stored in plain text: " + stored);
        }
        assertTrue(stored.contains("\"sealed\""), stored);
        Api.Response bad = server.send("PATCH", "/tenant/settings", "{\"push\":{\"apns\":{\"teamId\":\"x\"}}}");
        assertEquals(400, bad.status());
        assertEquals("validation_failed", bad.code());
    }

    @Test
    void offlineParticipant_getsEveryProvidersPush_onlineOneNone_deadTokensDeleted_flakyDeliveredOnce() throws Exception {
        for (String user : List.of("alice", "carol", "bob", "dave")) {
            server.post("/users", "{\"id\":\"" + user + "\",\"username\":\"" + user.toUpperCase() + "\"}");
        }
        register("bob", "FCM", "fcm-bob");
        register("bob", "FCM", "fcm-dead");
        register("bob", "APNS", "apns-bob");
        register("bob", "APNS", "apns-dead");
        register("bob", "APNS", "apns-bad");
        register("bob", "ONESIGNAL", "os-bob");
        register("bob", "ONESIGNAL", "os-dead");
        ObjectNode subscription = Api.JSON.createObjectNode().put("endpoint", fakes.tlsUrl() + "/webpush/bob");
        subscription.putObject("keys").put("p256dh", B64URL.encodeToString(uncompressed((ECPublicKey) browserKeys.getPublic())))
                .put("auth", B64URL.encodeToString(browserAuth));
        register("bob", "WEBPUSH", subscription.toString());
        ObjectNode gone = subscription.deepCopy().put("endpoint", fakes.tlsUrl() + "/webpush/gone-bob");
        register("bob", "WEBPUSH", gone.toString());
        register("carol", "FCM", "fcm-carol");
        register("dave", "FCM", "fcm-flaky-dave");
        register("dave", "APNS", "apns-flaky-dave");
        Api.Response room = server.post("/chat/rooms", "{\"name\":\"Team\",\"participants\":[{\"id\":\"alice\"},{\"id\":\"carol\"},{\"id\":\"bob\"},{\"id\":\"dave\"}]}");
        String roomId = room.body().path("id").asText();
        try (Socket carol = Socket.open(stack, server.tokenFor("carol"))) {
            carol.hello();
            Api.Response sent = server.post("/chat/rooms/" + roomId + "/messages",
                    "{\"senderId\":\"alice\",\"parts\":[{\"type\":\"text\",\"text\":\"Lunch at noon?\"}]}");
            assertEquals(201, sent.status(), sent.raw().body());
            String messageId = sent.body().path("id").asText();
            String seq = sent.body().path("seq").asText();

            waitFor(() -> fakes.to("fcm-bob").size() == 1 && fakes.to("/3/device/apns-bob").size() == 1
                    && fakes.to("os-bob").size() == 1 && fakes.to("/webpush/bob").size() == 1, "bob's four pushes");
            JsonNode fcm = Api.JSON.readTree(fakes.to("fcm-bob").get(0).text()).path("message");
            assertEquals("Team", fcm.path("notification").path("title").asText());
            assertEquals("Lunch at noon?", fcm.path("notification").path("body").asText());
            assertEquals(messageId, fcm.path("data").path("messageId").asText());
            assertEquals(roomId, fcm.path("data").path("roomId").asText());
            assertEquals(seq, fcm.path("data").path("seq").asText());
            assertEquals(tenantId, fcm.path("data").path("tenantId").asText());
            assertEquals("Bearer fake-access-token", fakes.to("fcm-bob").get(0).header("Authorization"));

            PushFakes.Received apnsRequest = fakes.to("/3/device/apns-bob").get(0);
            assertEquals("h2", apnsRequest.protocol(), "APNs is HTTP/2 over TLS (ALPN)");
            assertEquals("POST", apnsRequest.header(":method"));
            assertEquals("/3/device/apns-bob", apnsRequest.header(":path"));
            assertEquals("alert", apnsRequest.header("apns-push-type"));
            JsonNode apns = Api.JSON.readTree(apnsRequest.text());
            assertEquals("Team", apns.path("aps").path("alert").path("title").asText());
            assertEquals("Lunch at noon?", apns.path("aps").path("alert").path("body").asText());
            assertEquals(1, apns.path("aps").path("badge").asInt());
            assertEquals(messageId, apns.path("messageId").asText());
            assertEquals("dev.sendsar.demo", apnsRequest.header("apns-topic"));
            assertTrue(apnsRequest.header("authorization").startsWith("bearer ey"));

            JsonNode oneSignal = Api.JSON.readTree(fakes.to("os-bob").get(0).text());
            assertEquals("Team", oneSignal.path("headings").path("en").asText());
            assertEquals("Lunch at noon?", oneSignal.path("contents").path("en").asText());
            assertEquals(roomId, oneSignal.path("data").path("roomId").asText());
            assertEquals("Key os_v2_app_secret", fakes.to("os-bob").get(0).header("Authorization"));

            PushFakes.Received webPush = fakes.to("/webpush/bob").get(0);
            assertEquals("h2", webPush.protocol());
            assertEquals("aes128gcm", webPush.header("Content-Encoding"));
            assertTrue(webPush.header("Authorization").startsWith("vapid t="), webPush.header("Authorization"));
            JsonNode decrypted = Api.JSON.readTree(decrypt(webPush.body()));
            assertEquals("Team", decrypted.path("title").asText());
            assertEquals("Lunch at noon?", decrypted.path("body").asText());
            assertEquals(messageId, decrypted.path("data").path("messageId").asText());

            DeviceTokenRepository tokens = stack.context().getBean(DeviceTokenRepository.class);
            waitFor(() -> tokens.ofUser(tenantId, "bob").stream().noneMatch(t -> t.token().endsWith("-dead")
                    || t.token().endsWith("-bad") || t.token().contains("/webpush/gone")),
                    "dead tokens deleted (FCM 404, APNs 410 and BadDeviceToken, OneSignal invalid id, Web Push 410)");
            assertEquals(4, tokens.ofUser(tenantId, "bob").size());
            // One APNs provider token for every request (reused for up to 50 minutes, not signed per push).
            List<String> bearers = fakes.received.stream().filter(r -> r.path().startsWith("/3/device/"))
                    .map(r -> r.header("authorization")).distinct().toList();
            assertEquals(1, bearers.size(), bearers.toString());
            JsonNode jwtHeader = Api.JSON.readTree(Base64.getUrlDecoder().decode(bearers.get(0).substring("bearer ".length()).split("\\.")[0]));
            JsonNode jwtClaims = Api.JSON.readTree(Base64.getUrlDecoder().decode(bearers.get(0).split("\\.")[1]));
            assertEquals("ES256", jwtHeader.path("alg").asText());
            assertEquals("KEY1234567", jwtHeader.path("kid").asText());
            assertEquals("TEAM123456", jwtClaims.path("iss").asText());
            assertTrue(Instant.now().getEpochSecond() - jwtClaims.path("iat").asLong() < 50 * 60, "issued within 50 minutes");

            waitFor(() -> fakes.to("fcm-flaky-dave").size() == 2 && fakes.to("/3/device/apns-flaky-dave").size() == 2,
                    "dave's pushes retried after the 503s");
            waitForQueueDrained();
            assertEquals(2, fakes.to("fcm-flaky-dave").size(), "one 503, one delivery, nothing more");
            assertEquals(2, fakes.to("/3/device/apns-flaky-dave").size(), "APNs too: one 503, one delivery");
            assertEquals(1, fakes.to("fcm-bob").size(), "the retry re-sends only what failed");
            assertEquals(0, fakes.to("fcm-carol").size(), "carol is online: no push");
            // The OAuth2 access token is fetched once and reused (cached until near its expiry), not once per push.
            assertEquals(1, fakes.tokenRequests.get());
        }
    }

    /** The stack's push client trusts the fakes' certificate only through the test setting: TLS is really verified. */
    @Test
    void theFakesCertificate_isRefusedByAClientWithTheDefaultTrust() {
        HttpClient defaults = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(fakes.tlsUrl() + "/3/device/untrusted"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build();
        IOException refused = assertThrows(IOException.class,
                () -> defaults.send(probe, HttpResponse.BodyHandlers.discarding()));
        assertTrue(refused instanceof SSLException || refused.getCause() instanceof SSLException, refused.toString());
        assertTrue(fakes.to("untrusted").isEmpty());
    }

    @Test
    void oneTenantsRefusedCredentials_neverBlockAnotherTenantsPushes() throws Exception {
        Api broken = Api.newTenant(stack);
        Api.Response configured = broken.send("PATCH", "/tenant/settings",
                "{\"push\":{\"onesignal\":{\"appId\":\"broken-app\",\"apiKey\":\"broken-key\"}}}");
        assertEquals(200, configured.status(), configured.raw().body());
        for (Api tenant : List.of(broken, server)) {
            tenant.post("/users", "{\"id\":\"kim\"}");
            tenant.post("/users", "{\"id\":\"lee\"}");
        }
        assertEquals(201, broken.post("/users/lee/device-tokens", "{\"provider\":\"ONESIGNAL\",\"token\":\"os-lee-broken\"}").status());
        register("lee", "ONESIGNAL", "os-lee-fine");
        String brokenRoom = broken.post("/chat/rooms", "{\"participants\":[{\"id\":\"kim\"},{\"id\":\"lee\"}]}").body().path("id").asText();
        String fineRoom = server.post("/chat/rooms", "{\"participants\":[{\"id\":\"kim\"},{\"id\":\"lee\"}]}").body().path("id").asText();
        for (int i = 0; i < 3; i++) {
            broken.post("/chat/rooms/" + brokenRoom + "/messages", "{\"senderId\":\"kim\",\"parts\":[{\"type\":\"text\",\"text\":\"b" + i + "\"}]}");
        }
        server.post("/chat/rooms/" + fineRoom + "/messages", "{\"senderId\":\"kim\",\"parts\":[{\"type\":\"text\",\"text\":\"fine\"}]}");
        waitFor(() -> fakes.to("os-lee-fine").size() == 1, "the healthy tenant's push");
        waitForQueueDrained();
        assertEquals(3, fakes.to("os-lee-broken").size(), "each refused push tried once, never retried");
        assertEquals(1, fakes.to("os-lee-fine").size());
    }

    @Test
    void webPushEndpoints_mustBePublicHttps_elseRefusedAtRegistration() {
        server.post("/users", "{\"id\":\"ivy\"}");
        for (String endpoint : List.of("http://169.254.169.254/latest/meta-data/iam/security-credentials/",
                "https://169.254.169.254/push", "https://10.0.0.7/push", "https://192.168.1.20/push", "https://[fd00::1]/push",
                fakes.tlsUrl().replace("https:", "http:") + "/webpush/plain", "file:///etc/passwd")) {
            ObjectNode subscription = Api.JSON.createObjectNode().put("endpoint", endpoint);
            subscription.putObject("keys").put("p256dh", B64URL.encodeToString(uncompressed((ECPublicKey) browserKeys.getPublic())))
                    .put("auth", B64URL.encodeToString(browserAuth));
            Api.Response refused = server.post("/users/ivy/device-tokens",
                    Api.JSON.createObjectNode().put("provider", "WEBPUSH").put("token", subscription.toString()).toString());
            assertEquals(400, refused.status(), endpoint + ": " + refused.raw().body());
            assertEquals("invalid_push_endpoint", refused.code(), endpoint);
        }
        Api.Response notASubscription = server.post("/users/ivy/device-tokens", "{\"provider\":\"WEBPUSH\",\"token\":\"abc\"}");
        assertEquals(400, notASubscription.status());
        assertEquals("validation_failed", notASubscription.code());
        DeviceTokenRepository tokens = stack.context().getBean(DeviceTokenRepository.class);
        assertTrue(tokens.ofUser(tenantId, "ivy").isEmpty(), "nothing stored");
    }

    @Test
    void mutedRoom_sendsNothing_untilUnmuted() throws Exception {
        String roomId = oneToOneRoom("erin", "frank");
        Api frank = Api.withToken(stack, server.tokenFor("frank"));
        Api.Response muted = frank.send("PUT", "/chat/rooms/" + roomId + "/mute", "{}");
        assertEquals(200, muted.status(), muted.raw().body());
        assertEquals("9999-12-31T23:59:59.999Z", muted.body().path("mutedUntil").asText());
        assertEquals("9999-12-31T23:59:59.999Z", frank.get("/chat/rooms").body().path("rooms").get(0).path("mutedUntil").asText());
        assertEquals(400, frank.send("PUT", "/chat/rooms/" + roomId + "/mute", "{\"until\":\"yesterday\"}").status());
        assertEquals(403, frank.send("PUT", "/chat/rooms/" + roomId + "/mute", "{\"userId\":\"erin\"}").status());

        server.post("/chat/rooms/" + roomId + "/messages", "{\"senderId\":\"erin\",\"parts\":[{\"type\":\"text\",\"text\":\"muted one\"}]}");
        waitForQueueDrained();
        assertEquals(0, fakes.to("fcm-frank").size(), "a muted room sends nothing");

        assertEquals(204, frank.delete("/chat/rooms/" + roomId + "/mute").status());
        assertTrue(frank.get("/chat/rooms").body().path("rooms").get(0).path("mutedUntil").isNull());
        String messageId = server.post("/chat/rooms/" + roomId + "/messages",
                "{\"senderId\":\"erin\",\"parts\":[{\"type\":\"text\",\"text\":\"open one\"}]}").body().path("id").asText();
        waitFor(() -> fakes.to("fcm-frank").size() == 1, "frank's push after unmuting");
        JsonNode notification = Api.JSON.readTree(fakes.to("fcm-frank").get(0).text()).path("message").path("notification");
        assertEquals("erin F.", notification.path("title").asText(), "1:1: the sender's name");
        assertEquals("open one", notification.path("body").asText());

        // Edits and deletes are changes, not new messages: no push for either.
        Api.Response edited = server.send("PATCH", "/chat/rooms/" + roomId + "/messages/" + messageId,
                "{\"parts\":[{\"type\":\"text\",\"text\":\"open one, edited\"}]}");
        assertEquals(200, edited.status(), edited.raw().body());
        assertEquals(200, server.delete("/chat/rooms/" + roomId + "/messages/" + messageId).status());
        waitForQueueDrained();
        assertEquals(1, fakes.to("fcm-frank").size(), "an edit or a delete sends nothing");

        // An API key mutes and unmutes for the user it names.
        assertEquals(200, server.send("PUT", "/chat/rooms/" + roomId + "/mute", "{\"userId\":\"frank\"}").status());
        assertEquals("9999-12-31T23:59:59.999Z", frank.get("/chat/rooms").body().path("rooms").get(0).path("mutedUntil").asText());
        assertEquals(204, server.delete("/chat/rooms/" + roomId + "/mute?userId=frank").status());
        assertTrue(frank.get("/chat/rooms").body().path("rooms").get(0).path("mutedUntil").isNull());
    }

    /**
     * A send that found a socket for every recipient stores the message quiet (no router, no push job); if a post
     * then finds the socket gone (its connection left behind, as when a phone drops off the network before its
     * {@code $disconnect}), the send takes the mark off and the recipient is pushed after all. A quiet message to an
     * open socket, and its edit, push nothing.
     */
    @Test
    void aRecipientWhoseSocketTurnsOutGone_isPushedAfterAll_anOnlineOneIsNot() throws Exception {
        String roomId = oneToOneRoom("hank", "ines");
        try (Socket ines = Socket.open(stack, server.tokenFor("ines"))) {
            ines.hello();
            String online = server.post("/chat/rooms/" + roomId + "/messages",
                    "{\"senderId\":\"hank\",\"parts\":[{\"type\":\"text\",\"text\":\"online one\"}]}").body().path("id").asText();
            ines.await("new-message");
            assertEquals(200, server.send("PATCH", "/chat/rooms/" + roomId + "/messages/" + online,
                    "{\"parts\":[{\"type\":\"text\",\"text\":\"online one, edited\"}]}").status());
        }
        ConnectionRepository connections = stack.context().getBean(ConnectionRepository.class);
        waitFor(() -> connections.ofUser(tenantId, "ines").isEmpty(), "ines's $disconnect");
        // a connection of five minutes ago that the gateway no longer knows: the post answers 410
        Instant connectedAt = Instant.now().minus(Duration.ofMinutes(5));
        connections.save(new Connection("ghost-ines-0001", tenantId, "ines", null, dev.sendsar.domain.Times.format(connectedAt),
                connectedAt.plus(Connection.MAX_LIFETIME).getEpochSecond()));
        Api.Response gone = server.post("/chat/rooms/" + roomId + "/messages",
                "{\"senderId\":\"hank\",\"parts\":[{\"type\":\"text\",\"text\":\"gone one\"}]}");
        assertEquals(201, gone.status(), gone.raw().body());
        waitFor(() -> fakes.to("fcm-ines").size() == 1, "ines's push for the message her gone socket missed");
        waitForQueueDrained();
        assertEquals(1, fakes.to("fcm-ines").size(), "one push: none for the message her open socket got, nor for its edit");
        assertEquals("gone one", Api.JSON.readTree(fakes.to("fcm-ines").get(0).text()).path("message").path("notification")
                .path("body").asText());
    }

    /** Users {@code sender} and {@code recipient} (named "id F."), an FCM token {@code fcm-<recipient>}, their 1:1 room. */
    private static String oneToOneRoom(String sender, String recipient) {
        for (String user : List.of(sender, recipient)) {
            server.post("/users", "{\"id\":\"" + user + "\",\"username\":\"" + user + " F.\"}");
        }
        register(recipient, "FCM", "fcm-" + recipient);
        return server.post("/chat/rooms", "{\"participants\":[{\"id\":\"" + sender + "\"},{\"id\":\"" + recipient + "\"}]}")
                .body().path("id").asText();
    }

    private static void register(String userId, String provider, String token) {
        ObjectNode body = Api.JSON.createObjectNode().put("provider", provider).put("token", token);
        Api.Response r = server.post("/users/" + userId + "/device-tokens", body.toString());
        assertEquals(201, r.status(), r.raw().body());
    }

    private static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("Timed out waiting for " + what + "; fakes got " + fakes.received.stream().map(PushFakes.Received::path).toList());
            }
            Thread.sleep(20);
        }
    }

    /**
     * Waits until the stream router has seen everything written so far and the push queue holds nothing: by then every
     * push that will ever be sent has been.
     */
    private static void waitForQueueDrained() throws InterruptedException {
        SqsClient sqs = stack.context().getBean(SqsClient.class);
        String url = sqs.getQueueUrl(b -> b.queueName("push")).queueUrl();
        // A marker room message: once the router queued nothing new for a while and the queue is empty, we are done.
        int quietPolls = 0;
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (quietPolls < 15) {
            var attributes = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.ALL)).attributes();
            int pending = Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                    + Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                    + Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED));
            quietPolls = pending == 0 ? quietPolls + 1 : 0;
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("The push queue never drained");
            }
            Thread.sleep(100);
        }
    }

    /** RFC 8291 / RFC 8188 decryption with the browser's private key and auth secret. */
    private static String decrypt(byte[] body) throws Exception {
        ByteBuffer in = ByteBuffer.wrap(body);
        byte[] salt = new byte[16];
        in.get(salt);
        in.getInt();
        byte[] serverKey = new byte[in.get() & 0xff];
        in.get(serverKey);
        byte[] cipherText = new byte[in.remaining()];
        in.get(cipherText);
        KeyAgreement agreement = KeyAgreement.getInstance("ECDH");
        agreement.init(browserKeys.getPrivate());
        agreement.doPhase(publicKey(serverKey), true);
        byte[] ecdh = agreement.generateSecret();
        byte[] browserPublic = uncompressed((ECPublicKey) browserKeys.getPublic());
        byte[] prkKey = hmac(browserAuth, ecdh);
        byte[] keyInfo = concat("WebPush: info\0".getBytes(StandardCharsets.US_ASCII), browserPublic, serverKey, new byte[]{1});
        byte[] ikm = hmac(prkKey, keyInfo);
        byte[] prk = hmac(salt, ikm);
        byte[] cek = Arrays.copyOf(hmac(prk, concat("Content-Encoding: aes128gcm\0".getBytes(StandardCharsets.US_ASCII), new byte[]{1})), 16);
        byte[] nonce = Arrays.copyOf(hmac(prk, concat("Content-Encoding: nonce\0".getBytes(StandardCharsets.US_ASCII), new byte[]{1})), 12);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(cek, "AES"), new GCMParameterSpec(128, nonce));
        byte[] padded = cipher.doFinal(cipherText);
        int end = padded.length - 1;
        while (padded[end] == 0) {
            end--;
        }
        assertEquals(2, padded[end], "last record's delimiter");
        return new String(padded, 0, end, StandardCharsets.UTF_8);
    }

    private static byte[] hmac(byte[] key, byte[] data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data);
    }

    private static byte[] concat(byte[]... parts) {
        ByteBuffer out = ByteBuffer.allocate(Arrays.stream(parts).mapToInt(p -> p.length).sum());
        for (byte[] p : parts) {
            out.put(p);
        }
        return out.array();
    }

    private static KeyPair ec() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static ECPublicKey publicKey(byte[] uncompressed) throws Exception {
        ECPoint point = new ECPoint(new BigInteger(1, Arrays.copyOfRange(uncompressed, 1, 33)),
                new BigInteger(1, Arrays.copyOfRange(uncompressed, 33, 65)));
        return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(
                new ECPublicKeySpec(point, ((ECPublicKey) browserKeys.getPublic()).getParams()));
    }

    private static byte[] uncompressed(ECPublicKey key) {
        return concat(new byte[]{4}, fixed(key.getW().getAffineX()), fixed(key.getW().getAffineY()));
    }

    private static byte[] scalar(ECPrivateKey key) {
        return fixed(key.getS());
    }

    private static byte[] fixed(BigInteger value) {
        byte[] raw = value.toByteArray();
        byte[] out = new byte[32];
        int copy = Math.min(32, raw.length);
        System.arraycopy(raw, raw.length - copy, out, 32 - copy, copy);
        return out;
    }

    private static String pem(byte[] pkcs8) {
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pkcs8)
                + "\n-----END PRIVATE KEY-----\n";
    }
}
