package dev.sendsar.push;

import dev.sendsar.error.Violations;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PushCredentialsTest {

    private static Map<String, Object> push(String provider, Map<String, Object> fields) {
        Map<String, Object> push = PushCredentials.shape();
        Map<String, Object> merged = new LinkedHashMap<>((Map<String, Object>) push.get(provider));
        merged.putAll(fields);
        push.put(provider, merged);
        return push;
    }

    @Test
    void nothingSet_isNotConfigured_andValid() {
        Violations v = new Violations();
        PushCredentials credentials = PushCredentials.parse(PushCredentials.shape(), v);
        assertTrue(v.isEmpty());
        assertFalse(credentials.fcm().configured());
        assertFalse(credentials.forTokenProvider("WEBPUSH").configured());
    }

    @Test
    void aProviderWithSomeFields_needsAllOfThem_andChecksTheirForm() {
        Violations v = new Violations();
        PushCredentials.parse(push("onesignal", Map.of("appId", "app")), v);
        assertFalse(v.isEmpty(), "apiKey missing");

        Violations apns = new Violations();
        PushCredentials.parse(push("apns", Map.of("teamId", "short", "keyId", "KEY1234567", "privateKey", "not a key",
                "bundleId", "b")), apns);
        assertFalse(apns.isEmpty());

        Violations fcm = new Violations();
        PushCredentials.parse(push("fcm", Map.of("serviceAccountJson", "{\"type\":\"service_account\"}")), fcm);
        assertFalse(fcm.isEmpty(), "not a usable key file");
    }

    @Test
    void aConfiguredProvider_hasAStableFingerprint_thatChangesWithTheSecret() {
        Violations v = new Violations();
        PushCredentials a = PushCredentials.parse(push("onesignal", Map.of("appId", "app", "apiKey", "one")), v);
        PushCredentials again = PushCredentials.parse(push("onesignal", Map.of("appId", "app", "apiKey", "one")), v);
        PushCredentials other = PushCredentials.parse(push("onesignal", Map.of("appId", "app", "apiKey", "two")), v);
        assertTrue(v.isEmpty());
        assertTrue(a.onesignal().configured());
        assertEquals(a.onesignal().fingerprint(), again.onesignal().fingerprint());
        assertNotEquals(a.onesignal().fingerprint(), other.onesignal().fingerprint());
        assertFalse(a.onesignal().fingerprint().contains("one"));
        assertEquals("one", a.onesignal().value("apiKey"));
    }
}
