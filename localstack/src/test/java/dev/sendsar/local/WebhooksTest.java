package dev.sendsar.local;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Webhooks end to end on the local stack: a committed write becomes a signed POST through the change stream, the
 * router, the webhooks queue and the delivery worker; retries, the failed state, replay, rotation, SSRF refusals.
 * The stack's retry ladder is {@link TestStack#WEBHOOK_RETRY_DELAYS}, so failures take seconds.
 */
class WebhooksTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private final LocalStack stack = TestStack.get();

    @Test
    void aReceiverThatFailsTwiceGetsTheSameEventThreeTimes_bothSignaturesVerify_andTheLogSaysDelivered() throws Exception {
        Api tenant = Api.newTenant(stack);
        AtomicInteger calls = new AtomicInteger();
        try (Receiver receiver = new Receiver(r -> calls.incrementAndGet() <= 2 ? 500 : 200)) {
            String secret = register(tenant, receiver.url(), "[\"message.created\"]");
            tenant.tokenFor("alice");
            tenant.tokenFor("bob");
            String room = tenant.room("alice", "bob");
            String messageId = tenant.post("/chat/rooms/" + room + "/messages", withSender("alice", "hello hooks")).body().path("id").asText();

            waitFor(() -> receiver.requests.size() >= 3);
            List<Receiver.Request> requests = List.copyOf(receiver.requests);
            assertEquals(1, requests.stream().map(Receiver.Request::id).distinct().count(), "one event, one X-Webhook-Id");
            assertEquals(List.of(1, 2, 3), requests.stream().map(Receiver.Request::attempt).toList());
            JsonNode body = Api.JSON.readTree(requests.get(0).body());
            assertEquals(requests.get(0).id(), body.path("id").asText());
            assertTrue(body.path("id").asText().startsWith("evt_"));
            assertEquals("message.created", body.path("type").asText());
            assertEquals(room, body.path("roomId").asText());
            assertEquals("alice", body.path("senderId").asText());
            assertEquals("hello hooks", body.path("body").asText());
            assertEquals(messageId, body.path("data").path("id").asText());
            assertEquals(List.of("id", "type", "tenantId", "createdAt", "roomId", "roomExternalId", "senderId", "body", "data"),
                    fieldNames(body));
            for (Receiver.Request request : requests) {
                assertEquals(requests.get(0).bodyText(), request.bodyText(), "every attempt sends the same body");
                assertTrue(verifier("verifySeed", secret, request.body(), request.signature()), "seed signature");
                assertTrue(verifier("verifyV2", secret, request.body(), request.signatureV2()), "V2 signature");
                assertTrue(request.signatureV2().startsWith("t=" + request.timestamp() + ",v1="));
            }
            assertTrue(!verifier("verifyV2", "whsec_wrong", requests.get(0).body(), requests.get(0).signatureV2()));

            JsonNode entry = waitForEntry(tenant, requests.get(0).id(), "delivered");
            assertEquals(3, entry.path("attempts").asInt());
            assertEquals(200, entry.path("lastStatusCode").asInt());
            assertEquals("message.created", entry.path("type").asText());
            assertTrue(entry.path("body").isMissingNode(), "the log does not echo bodies");
        }
    }

    @Test
    void aReceiverThatAlwaysFailsEndsFailed_andReplayDeliversTheSameEventOnceFixed() throws Exception {
        Api tenant = Api.newTenant(stack);
        try (Receiver receiver = new Receiver(r -> 503)) {
            register(tenant, receiver.url(), "[\"room.created\"]");
            tenant.post("/users", "{\"id\":\"carol\"}");
            tenant.post("/users", "{\"id\":\"dave\"}");
            tenant.room("carol", "dave");
            waitFor(() -> !receiver.requests.isEmpty());
            String eventId = receiver.requests.get(0).id();
            JsonNode failed = waitForEntry(tenant, eventId, "failed");
            int attempts = TestStack.WEBHOOK_RETRY_DELAYS.split(",").length + 1;
            assertEquals(attempts, failed.path("attempts").asInt());
            assertEquals(503, failed.path("lastStatusCode").asInt());
            assertEquals("HTTP 503", failed.path("lastError").asText());
            assertEquals(attempts, receiver.of(eventId).size());
            Api.Response listed = tenant.get("/tenant/webhook/deliveries?status=failed");
            assertEquals(eventId, listed.body().path("deliveries").get(0).path("eventId").asText());
            assertEquals(0, tenant.get("/tenant/webhook/deliveries?status=delivered").body().path("deliveries").size());

            receiver.answer(r -> 204);
            Api.Response replay = tenant.post("/tenant/webhook/deliveries/" + eventId + "/replay", "");
            assertEquals(202, replay.status(), replay.raw().body());
            JsonNode delivered = waitForEntry(tenant, eventId, "delivered");
            assertEquals(attempts + 1, delivered.path("attempts").asInt());
            assertEquals(attempts + 1, receiver.of(eventId).size(), "delivered once more, with the same id");
            assertEquals(receiver.requests.get(0).bodyText(), receiver.of(eventId).get(attempts).bodyText());
            assertEquals(404, tenant.post("/tenant/webhook/deliveries/evt_nope/replay", "").status());
        }
    }

    @Test
    void theSecretIsShownOnceAndRotationSignsWithBothSecretsForADay() throws Exception {
        Api tenant = Api.newTenant(stack);
        try (Receiver receiver = new Receiver(r -> 200)) {
            String first = register(tenant, receiver.url(), null);
            Api.Response again = tenant.send("PUT", "/tenant/webhook", "{\"url\":\"" + receiver.url() + "\",\"enabled\":true}");
            assertEquals(200, again.status());
            assertTrue(again.body().path("secret").isNull(), "shown only when first created");
            assertTrue(tenant.get("/tenant/webhook").body().path("secret").isNull());
            assertEquals(receiver.url(), tenant.get("/tenant/webhook").body().path("url").asText());

            String second = tenant.post("/tenant/webhook/rotate-secret", "").body().path("secret").asText();
            assertTrue(second.startsWith("whsec_") && !second.equals(first));
            Api.Response test = tenant.post("/tenant/webhook/test", "");
            assertEquals(200, test.status(), test.raw().body());
            assertTrue(test.body().path("ok").asBoolean());
            assertEquals(200, test.body().path("statusCode").asInt());
            assertEquals(receiver.url(), test.body().path("url").asText());
            assertNotNull(test.body().path("testedAt").asText(null));
            Receiver.Request request = receiver.requests.get(receiver.requests.size() - 1);
            assertEquals("console.test", Api.JSON.readTree(request.body()).path("type").asText());
            assertEquals(2, request.signatureV2().split(",v1=").length - 1, "a v1 per live secret");
            assertTrue(verifier("verifyV2", second, request.body(), request.signatureV2()));
            assertTrue(verifier("verifyV2", first, request.body(), request.signatureV2()), "the old secret still verifies");
            assertTrue(verifier("verifySeed", second, request.body(), request.signature()));
        }
    }

    @Test
    void urlsThatAreNotPublicHttpAreRefused_andOnlyApiKeysManageWebhooks() {
        Api tenant = Api.newTenant(stack);
        for (String url : List.of("ftp://example.com/x", "http://169.254.169.254/latest/meta-data", "http://10.0.0.8/hook",
                "http://192.168.1.1/", "http://100.64.0.1/", "http://[fd00::1]/", "not a url", "http:///nohost")) {
            Api.Response refused = tenant.send("PUT", "/tenant/webhook", "{\"url\":\"" + url + "\",\"enabled\":true}");
            assertEquals(400, refused.status(), url);
            assertEquals("invalid_webhook_url", refused.code(), url);
        }
        assertEquals("webhook_not_found", tenant.get("/tenant/webhook").code());
        assertEquals(400, tenant.send("PUT", "/tenant/webhook", "{\"url\":\"http://127.0.0.1:9/x\",\"events\":[\"nope\"]}").status());
        assertEquals(400, tenant.get("/tenant/webhook/deliveries?status=lost").status());
        String token = tenant.tokenFor("eve");
        assertEquals(403, Api.withToken(stack, token).get("/tenant/webhook").status());
    }

    @Test
    void oneTenantsDeadReceiverDoesNotHoldUpAnothersEvents() throws Exception {
        Api slowTenant = Api.newTenant(stack);
        Api fastTenant = Api.newTenant(stack);
        try (Receiver slow = new Receiver(r -> {
                 sleep(8_000); // past the 5 s limit: every attempt times out
                 return 200;
             });
             Receiver fast = new Receiver(r -> 200)) {
            register(slowTenant, slow.url(), "[\"message.created\"]");
            register(fastTenant, fast.url(), "[\"message.created\"]");
            slowTenant.post("/users", "{\"id\":\"s1\"}");
            String slowRoom = slowTenant.room("s1");
            fastTenant.post("/users", "{\"id\":\"f1\"}");
            String fastRoom = fastTenant.room("f1");
            for (int i = 0; i < 20; i++) {
                slowTenant.post("/chat/rooms/" + slowRoom + "/messages", withSender("s1", "slow " + i));
            }
            waitFor(() -> !slow.requests.isEmpty());
            long sent = System.nanoTime();
            fastTenant.post("/chat/rooms/" + fastRoom + "/messages", withSender("f1", "fast"));
            waitFor(() -> !fast.requests.isEmpty());
            long delayMillis = (fast.requests.get(0).receivedAtNanos() - sent) / 1_000_000;
            System.out.printf("Webhook isolation: another tenant's event arrived %d ms after its commit while 20 events "
                    + "of a tenant whose receiver never answers were being attempted%n", delayMillis);
            assertTrue(delayMillis < 5_000, delayMillis + " ms");
        }
    }

    @Test
    void commitToPostDelay() throws Exception {
        Api tenant = Api.newTenant(stack);
        try (Receiver receiver = new Receiver(r -> 200)) {
            register(tenant, receiver.url(), "[\"message.created\"]");
            tenant.post("/users", "{\"id\":\"m1\"}");
            String room = tenant.room("m1");
            int count = 100;
            java.util.Map<String, Long> committedAt = new java.util.HashMap<>();
            for (int i = 0; i < count; i++) {
                Api.Response sent = tenant.post("/chat/rooms/" + room + "/messages", withSender("m1", "latency " + i));
                committedAt.put(sent.body().path("id").asText(), System.nanoTime());
            }
            waitFor(() -> receiver.requests.size() >= count);
            List<Long> delays = new ArrayList<>();
            for (Receiver.Request request : receiver.requests) {
                Long at = committedAt.get(Api.JSON.readTree(request.body()).path("data").path("id").asText());
                delays.add((request.receivedAtNanos() - at) / 1_000_000);
            }
            java.util.Collections.sort(delays);
            long p50 = delays.get(delays.size() / 2);
            long p99 = delays.get((int) Math.ceil(delays.size() * 0.99) - 1);
            System.out.printf("Webhook commit -> POST delay over %d sends: p50 %d ms, p99 %d ms, max %d ms%n",
                    count, p50, p99, delays.get(delays.size() - 1));
            assertEquals(count, receiver.requests.stream().map(Receiver.Request::id).distinct().count());
            assertTrue(p50 < 2_000, p50 + " ms");
        }
    }

    private static String register(Api tenant, String url, String events) {
        Api.Response put = tenant.send("PUT", "/tenant/webhook", "{\"url\":\"" + url + "\",\"enabled\":true"
                + (events == null ? "" : ",\"events\":" + events) + "}");
        assertEquals(200, put.status(), put.raw().body());
        String secret = put.body().path("secret").asText();
        assertTrue(secret.startsWith("whsec_"), secret);
        return secret;
    }

    private static String withSender(String sender, String text) {
        return "{\"senderId\":\"" + sender + "\",\"parts\":[{\"type\":\"text\",\"text\":\"" + text + "\"}]}";
    }

    private JsonNode waitForEntry(Api tenant, String eventId, String status) throws InterruptedException {
        JsonNode[] found = new JsonNode[1];
        waitFor(() -> {
            for (JsonNode entry : tenant.get("/tenant/webhook/deliveries").body().path("deliveries")) {
                if (entry.path("eventId").asText().equals(eventId) && entry.path("status").asText().equals(status)) {
                    found[0] = entry;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    static void waitFor(BooleanSupplier condition) throws InterruptedException {
        SqsPollerTest.waitFor(PATIENCE, condition);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Class<?> verifier;

    /** Calls the Java snippet of docs/webhooks.md, compiled from the document itself. */
    static boolean verifier(String method, String secret, byte[] body, String header) throws Exception {
        Class<?> type = verifierClass();
        if (method.equals("verifySeed")) {
            Method m = type.getMethod(method, String.class, byte[].class, String.class);
            return (Boolean) m.invoke(null, secret, body, header);
        }
        Method m = type.getMethod(method, String.class, byte[].class, String.class, long.class);
        return (Boolean) m.invoke(null, secret, body, header, 300L);
    }

    private static synchronized Class<?> verifierClass() throws Exception {
        if (verifier == null) {
            String doc = Files.readString(Path.of("..", "docs", "webhooks.md"), StandardCharsets.UTF_8);
            Matcher java = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(doc);
            assertTrue(java.find(), "docs/webhooks.md has a Java snippet");
            Path dir = Files.createTempDirectory("webhook-verifier");
            Path source = dir.resolve("WebhookVerifier.java");
            Files.writeString(source, java.group(1));
            JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
            assertEquals(0, compiler.run(null, null, null, "-d", dir.toString(), source.toString()), "the snippet compiles");
            verifier = new URLClassLoader(new URL[]{dir.toUri().toURL()}).loadClass("WebhookVerifier");
        }
        return verifier;
    }
}
