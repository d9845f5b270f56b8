package dev.sendsar.push;

import dev.sendsar.error.Violations;
import dev.sendsar.fakes.TestWebhookOptions;
import dev.sendsar.json.Json;
import dev.sendsar.webhooks.SecretBox;
import io.micronaut.json.JsonMapper;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PushCredentialsTest {
    private final SecretBox box = TestWebhookOptions.box();
    private final Json json = new Json(JsonMapper.createDefault());

    /** What a PATCH of one provider stores, read back as settings read it. */
    private PushCredentials patched(String provider, Map<String, Object> fields, Violations v) {
        return PushCredentials.parse(PushCredentials.seal(Map.of(provider, fields), box, json, v));
    }

    @Test
    void nothingSet_isNotConfigured_andValid() {
        PushCredentials credentials = PushCredentials.parse(PushCredentials.shape());
        assertFalse(credentials.fcm().configured());
        assertFalse(credentials.forTokenProvider("WEBPUSH").configured());
    }

    @Test
    void aProviderWithSomeFields_needsAllOfThem_andChecksTheirForm() {
        Violations v = new Violations();
        assertFalse(patched("onesignal", Map.of("appId", "app"), v).onesignal().configured());
        assertFalse(v.isEmpty(), "apiKey missing");

        Violations apns = new Violations();
        patched("apns", Map.of("teamId", "short", "keyId", "KEY1234567", "privateKey", "not a key", "bundleId", "b"), apns);
        assertFalse(apns.isEmpty());

        Violations fcm = new Violations();
        patched("fcm", Map.of("serviceAccountJson", "{\"type\":\"service_account\"}"), fcm);
        assertFalse(fcm.isEmpty(), "not a usable key file");
    }

    @Test
    void aConfiguredProvider_hasAStableFingerprint_thatChangesWithTheSecret() {
        Violations v = new Violations();
        PushCredentials a = patched("onesignal", Map.of("appId", "app", "apiKey", "one"), v);
        PushCredentials again = patched("onesignal", Map.of("appId", "app", "apiKey", "one"), v);
        PushCredentials other = patched("onesignal", Map.of("appId", "app", "apiKey", "two"), v);
        assertTrue(v.isEmpty());
        assertTrue(a.onesignal().configured());
        assertEquals(a.onesignal().fingerprint(), again.onesignal().fingerprint());
        assertNotEquals(a.onesignal().fingerprint(), other.onesignal().fingerprint());
        assertFalse(a.onesignal().fingerprint().contains("one"));
        assertNull(a.onesignal().value("apiKey"), "settings hold the credentials sealed");
        assertEquals("one", a.onesignal().open(box, json).value("apiKey"));
    }

    @Test
    void whatIsStored_holdsNoSecret_andNullRemovesAProvider() {
        Violations v = new Violations();
        Map<String, Object> stored = PushCredentials.seal(Map.of("onesignal",
                Map.of("appId", "5eb5a37e-b458-11e3-ac11-000c2940e62c", "apiKey", "os_v2_app_secret")), box, json, v);
        assertTrue(v.isEmpty());
        String text = json.write(stored);
        assertFalse(text.contains("os_v2_app_secret") || text.contains("5eb5a37e"), text);

        Map<String, Object> removal = new HashMap<>();
        removal.put("onesignal", null);
        assertTrue(PushCredentials.seal(removal, box, json, v).containsKey("onesignal"));
        assertNull(PushCredentials.seal(removal, box, json, v).get("onesignal"));
    }
}
