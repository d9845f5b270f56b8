package dev.sendsar.local;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GET and PATCH /v1/tenant/settings over real HTTP: defaults, deep merge, validation, isolation. */
class TenantSettingsTest {
    private final LocalStack stack = TestStack.get();

    @Test
    void aNewTenant_seesTheContractDefaults_withItsKeyAndItsUsersTokens() {
        Api server = Api.newTenant(stack);
        Api alice = Api.withToken(stack, server.tokenFor("alice"));
        for (Api caller : new Api[] {server, alice}) {
            Api.Response got = caller.get("/tenant/settings");
            assertEquals(200, got.status());
            JsonNode chat = got.body().path("chat");
            assertEquals("placeholder", chat.path("deletedMessageDisplay").asText());
            assertEquals(true, chat.path("media").path("enabled").asBoolean());
            assertEquals(10485760, chat.path("media").path("maxFileSizeBytes").asLong());
            assertTrue(chat.path("media").path("allowedMimeTypes").toString().contains("\"application/pdf\""));
            assertEquals(300, chat.path("media").path("presignTtlSeconds").asInt());
            assertEquals("{\"sendMessage\":60,\"typing\":120,\"joinRoom\":60,\"uploadPresign\":30,\"messageActions\":120,\"receipts\":300,\"otherWrites\":60}",
                    chat.path("rateLimits").toString());
            assertEquals("{\"enabled\":true,\"maxParticipants\":8,\"ringTimeoutSeconds\":45,\"defaultType\":\"video\"}",
                    got.body().path("calls").toString());
        }
    }

    @Test
    void patch_deepMergesTheGivenKeys_andLeavesOtherTenantsAlone() {
        Api server = Api.newTenant(stack);
        Api other = Api.newTenant(stack);
        Api.Response first = server.send("PATCH", "/tenant/settings", "{\"chat\":{\"rateLimits\":{\"typing\":10}}}");
        assertEquals(200, first.status());
        Api.Response second = server.send("PATCH", "/tenant/settings",
                "{\"chat\":{\"deletedMessageDisplay\":\"hidden\",\"media\":{\"allowedMimeTypes\":[\"image/png\"]}},\"calls\":{\"maxParticipants\":32}}");
        assertEquals(200, second.status());

        JsonNode now = server.get("/tenant/settings").body();
        assertEquals(10, now.path("chat").path("rateLimits").path("typing").asInt());
        assertEquals(60, now.path("chat").path("rateLimits").path("sendMessage").asInt());
        assertEquals("hidden", now.path("chat").path("deletedMessageDisplay").asText());
        assertEquals("[\"image/png\"]", now.path("chat").path("media").path("allowedMimeTypes").toString());
        assertEquals(true, now.path("chat").path("media").path("enabled").asBoolean());
        assertEquals(32, now.path("calls").path("maxParticipants").asInt());
        assertEquals(45, now.path("calls").path("ringTimeoutSeconds").asInt());
        assertEquals(second.body(), now);

        assertEquals(120, other.get("/tenant/settings").body().path("chat").path("rateLimits").path("typing").asInt());
        Api.Response reset = server.send("PATCH", "/tenant/settings", "{\"chat\":{\"rateLimits\":{\"typing\":null}}}");
        assertEquals(120, reset.body().path("chat").path("rateLimits").path("typing").asInt());
    }

    @Test
    void patch_withUnknownKeysOrBadValues_is400NamingTheFields_andChangesNothing() {
        Api server = Api.newTenant(stack);
        Api.Response unknown = server.send("PATCH", "/tenant/settings", "{\"chat\":{\"media\":{\"maxSize\":5}},\"theme\":\"dark\"}");
        assertEquals(400, unknown.status());
        assertEquals("validation_failed", unknown.code());
        String details = unknown.body().path("details").toString();
        assertTrue(details.contains("\"chat.media.maxSize\""), details);
        assertTrue(details.contains("\"theme\""), details);

        Api.Response range = server.send("PATCH", "/tenant/settings",
                "{\"calls\":{\"maxParticipants\":1,\"ringTimeoutSeconds\":121,\"defaultType\":\"smell\"},\"chat\":{\"rateLimits\":{\"sendMessage\":0}}}");
        assertEquals(400, range.status());
        String rangeDetails = range.body().path("details").toString();
        for (String field : new String[] {"calls.maxParticipants", "calls.ringTimeoutSeconds", "calls.defaultType", "chat.rateLimits.sendMessage"}) {
            assertTrue(rangeDetails.contains("\"" + field + "\""), rangeDetails);
        }
        assertEquals("malformed_json", server.send("PATCH", "/tenant/settings", "{\"calls\":").code());
        assertEquals(8, server.get("/tenant/settings").body().path("calls").path("maxParticipants").asInt());
    }

    @Test
    void patch_withASessionToken_is403() {
        Api server = Api.newTenant(stack);
        Api alice = Api.withToken(stack, server.tokenFor("alice"));
        Api.Response refused = alice.send("PATCH", "/tenant/settings", "{\"calls\":{\"enabled\":false}}");
        assertEquals(403, refused.status());
        assertEquals("api_key_required", refused.code());
        assertEquals(401, Api.anonymous(stack).get("/tenant/settings").status());
    }
}
