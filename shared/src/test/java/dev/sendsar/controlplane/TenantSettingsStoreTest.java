package dev.sendsar.controlplane;

import dev.sendsar.domain.Caller;
import dev.sendsar.ports.TenantDirectory;
import dev.sendsar.settings.TenantSettingsService;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Settings overrides as JSON text in PostgreSQL, replaced by compare-and-set. */
class TenantSettingsStoreTest {
    private static ControlPlaneDatabase database;
    private static ApplicationContext context;

    @BeforeAll
    static void start() throws Exception {
        database = new ControlPlaneDatabase();
        context = database.context;
    }

    @AfterAll
    static void stop() throws Exception {
        database.close();
    }

    @Test
    void replaceSettings_onlyWhenTheStoredTextIsStillTheExpectedOne() {
        TenantDirectory directory = context.getBean(TenantDirectory.class);
        directory.createTenant(new TenantDirectory.Tenant("cas", "Cas", true, "2026-01-01T00:00:00.000Z"));
        assertEquals("{}", directory.findSettings("cas").orElseThrow());
        assertTrue(directory.replaceSettings("cas", "{}", "{\"calls\":{\"enabled\":false}}"));
        assertFalse(directory.replaceSettings("cas", "{}", "{\"calls\":{\"enabled\":true}}"));
        assertEquals("{\"calls\":{\"enabled\":false}}", directory.findSettings("cas").orElseThrow());
        assertTrue(directory.findSettings("nobody").isEmpty());
    }

    @Test
    void patchedSettings_surviveANewServiceInstance() {
        TenantDirectory directory = context.getBean(TenantDirectory.class);
        directory.createTenant(new TenantDirectory.Tenant("keep", "Keep", true, "2026-01-01T00:00:00.000Z"));
        context.getBean(TenantSettingsService.class).patch(Caller.apiKey("keep", "test-key"),
                Map.of("chat", Map.of("deletedMessageDisplay", "hidden")));
        TenantSettingsService fresh = context.createBean(TenantSettingsService.class);
        assertEquals("hidden", fresh.settings("keep").chat().deletedMessageDisplay());
        assertEquals(60, fresh.settings("keep").chat().rateLimits().sendMessage());
    }
}
