package dev.sendsar.settings;

import dev.sendsar.domain.Caller;
import dev.sendsar.error.ApiException;
import dev.sendsar.error.FieldError;
import dev.sendsar.fakes.InMemoryTenantDirectory;
import dev.sendsar.fakes.TestConfig;
import dev.sendsar.json.Json;
import dev.sendsar.ports.TenantDirectory;
import io.micronaut.json.JsonMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TenantSettingsServiceTest {
    private static final String T = "t1";
    private final InMemoryTenantDirectory directory = new InMemoryTenantDirectory();
    private final Json json = new Json(JsonMapper.createDefault());
    private final TenantSettingsService service = new TenantSettingsService(directory, json, dev.sendsar.fakes.TestWebhookOptions.box(), new TestConfig("t", null, null));
    private final Caller server = Caller.apiKey(T, "test-key");

    @BeforeEach
    void tenant() {
        directory.createTenant(new TenantDirectory.Tenant(T, "T", true, "2026-01-01T00:00:00.000Z"));
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private List<String> fieldsOf(ApiException e) {
        return e.details().stream().map(FieldError::field).toList();
    }

    @Test
    void settings_ofANewTenant_areTheContractDefaults() {
        TenantSettings s = service.get(Caller.user(T, "alice"));
        assertEquals("placeholder", s.chat().deletedMessageDisplay());
        assertTrue(s.chat().media().enabled());
        assertEquals(10_485_760L, s.chat().media().maxFileSizeBytes());
        assertTrue(s.chat().media().allowedMimeTypes().containsAll(List.of("image/*", "video/*", "audio/*", "application/pdf")));
        assertEquals(300, s.chat().media().presignTtlSeconds());
        assertEquals(new TenantSettings.RateLimits(60, 120, 60, 30, 120, 300, 60), s.chat().rateLimits());
        assertEquals(new TenantSettings.Calls(true, 8, 45, "video"), s.calls());
    }

    @Test
    void patch_deepMergesAndKeepsOtherKeysOfTheSameGroup() {
        service.patch(server, map("chat", map("rateLimits", map("sendMessage", 5))));
        TenantSettings s = service.patch(server, map("chat", map("rateLimits", map("typing", 7)), "calls", map("defaultType", "audio")));

        assertEquals(new TenantSettings.RateLimits(5, 7, 60, 30, 120, 300, 60), s.chat().rateLimits());
        assertEquals("audio", s.calls().defaultType());
        assertEquals(8, s.calls().maxParticipants());
        assertEquals(s, service.settings(T));
        assertFalse(directory.storedSettings(T).contains("maxParticipants"), "only overrides are stored");
    }

    @Test
    void patch_withNull_resetsAKeyToItsDefault() {
        service.patch(server, map("calls", map("ringTimeoutSeconds", 20)));
        Map<String, Object> reset = map("calls", map("ringTimeoutSeconds", null));
        assertEquals(45, service.patch(server, reset).calls().ringTimeoutSeconds());
    }

    @Test
    void patch_replacesListsWhole() {
        TenantSettings s = service.patch(server, map("chat", map("media", map("allowedMimeTypes", List.of("image/png", "Application/PDF")))));
        assertEquals(List.of("image/png", "application/pdf"), s.chat().media().allowedMimeTypes());
        assertTrue(s.chat().media().allows("application/pdf; charset=binary"));
        assertFalse(s.chat().media().allows("image/jpeg"));
    }

    @Test
    void patch_withUnknownKeys_is400NamingEachAndStoresNothing() {
        ApiException e = assertThrows(ApiException.class, () -> service.patch(server,
                map("chat", map("colour", "red", "media", map("maxSize", 1)), "billing", map())));
        assertEquals(400, e.status());
        assertEquals(List.of("billing", "chat.colour", "chat.media.maxSize"), fieldsOf(e).stream().sorted().toList());
        assertEquals("{}", directory.storedSettings(T));
    }

    @Test
    void patch_ofPushCredentials_storesThemSealed_andABadOneIsNamedWithTheOtherBadFields() {
        ApiException e = assertThrows(ApiException.class, () -> service.patch(server, map(
                "calls", map("maxParticipants", 33), "push", map("onesignal", map("appId", "app")))));
        assertEquals(List.of("calls.maxParticipants", "push.onesignal.apiKey"), fieldsOf(e).stream().sorted().toList());
        assertEquals("{}", directory.storedSettings(T));

        TenantSettings s = service.patch(server, map("push", map("onesignal", map("appId", "app-id-1", "apiKey", "os_secret_1"))));
        assertTrue(s.push().onesignal().configured());
        String stored = directory.storedSettings(T);
        assertFalse(stored.contains("os_secret_1") || stored.contains("app-id-1"), stored);
        assertTrue(stored.contains("\"sealed\""), stored);

        assertFalse(service.patch(server, map("push", map("onesignal", null))).push().onesignal().configured());
        assertFalse(directory.storedSettings(T).contains("sealed"));
    }

    @Test
    void patch_withOutOfRangeOrMistypedValues_is400NamingEachField() {
        ApiException e = assertThrows(ApiException.class, () -> service.patch(server, map(
                "calls", map("maxParticipants", 33, "ringTimeoutSeconds", 14, "defaultType", "hologram", "enabled", "yes"),
                "chat", map("deletedMessageDisplay", "gone", "rateLimits", map("sendMessage", 0, "typing", 1.5),
                        "media", map("allowedMimeTypes", List.of("image/*", "not a type"), "maxFileSizeBytes", -1)))));
        assertEquals(List.of("calls.defaultType", "calls.enabled", "calls.maxParticipants", "calls.ringTimeoutSeconds",
                        "chat.deletedMessageDisplay", "chat.media.allowedMimeTypes[1]", "chat.media.maxFileSizeBytes",
                        "chat.rateLimits.sendMessage", "chat.rateLimits.typing"),
                fieldsOf(e).stream().sorted().toList());
        assertEquals("validation_failed", e.code());
    }

    @Test
    void patch_aGroupWithAScalar_is400() {
        ApiException e = assertThrows(ApiException.class, () -> service.patch(server, map("chat", "off")));
        assertEquals(List.of("chat"), fieldsOf(e));
    }

    @Test
    void patch_thatLosesARace_reappliesOnTheNewerSettings() {
        AtomicBoolean raced = new AtomicBoolean();
        directory.beforeReplace = () -> {
            if (raced.compareAndSet(false, true)) {
                directory.replaceSettings(T, "{}", "{\"calls\":{\"maxParticipants\":4}}");
            }
        };
        TenantSettings s = service.patch(server, map("calls", map("ringTimeoutSeconds", 30)));
        assertEquals(4, s.calls().maxParticipants());
        assertEquals(30, s.calls().ringTimeoutSeconds());
    }
}
