package dev.sendsar.controlplane;

import dev.sendsar.auth.SessionTokens;
import dev.sendsar.domain.Caller;
import dev.sendsar.ports.TenantDirectory;
import dev.sendsar.settings.TenantSettingsService;
import io.micronaut.context.ApplicationContext;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Settings overrides as JSON text in PostgreSQL, replaced by compare-and-set. */
class TenantSettingsStoreTest {
    private static EmbeddedPostgres postgres;
    private static ApplicationContext context;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.builder().setServerConfig("listen_addresses", "127.0.0.1").start();
        context = ApplicationContext.builder().properties(Map.of(
                "datasources.default.url", postgres.getJdbcUrl("postgres", "postgres"),
                "datasources.default.username", "postgres",
                "datasources.default.password", "postgres",
                "datasources.default.dialect", "POSTGRES",
                "sendsar.jwt-keys", SessionTokens.generateKeySet())).start();
        context.getBean(ControlPlaneSchema.class).create();
    }

    @AfterAll
    static void stop() throws Exception {
        context.close();
        postgres.close();
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
        context.getBean(TenantSettingsService.class).patch(Caller.apiKey("keep"),
                Map.of("chat", Map.of("deletedMessageDisplay", "hidden")));
        TenantSettingsService fresh = context.createBean(TenantSettingsService.class);
        assertEquals("hidden", fresh.settings("keep").chat().deletedMessageDisplay());
        assertEquals(60, fresh.settings("keep").chat().rateLimits().sendMessage());
    }
}
