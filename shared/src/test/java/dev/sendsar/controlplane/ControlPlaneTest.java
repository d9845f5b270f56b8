package dev.sendsar.controlplane;

import dev.sendsar.auth.ApiKeyService;
import dev.sendsar.auth.SessionTokens;
import dev.sendsar.domain.Caller;
import dev.sendsar.error.ApiException;
import dev.sendsar.service.TenantService;
import io.micronaut.context.ApplicationContext;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.ResultSet;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tenants and API keys in PostgreSQL through the real Micronaut Data repositories. */
class ControlPlaneTest {
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
                "sendsar.jwt-keys", SessionTokens.generateKeySet(),
                "sendsar.admin-key", "adm_test")).start();
        context.getBean(ControlPlaneSchema.class).create();
        context.getBean(ControlPlaneSchema.class).create();
    }

    @AfterAll
    static void stop() throws Exception {
        context.close();
        postgres.close();
    }

    @Test
    void apiKeys_areStoredHashedResolveToTheirTenantAndStopAtRevocation() throws Exception {
        TenantService tenants = context.getBean(TenantService.class);
        ApiKeyService apiKeys = context.getBean(ApiKeyService.class);
        TenantService.CreatedTenant created = tenants.create(Caller.admin(), new TenantService.CreateTenantRequest("acme", "Acme"));
        assertEquals("acme", apiKeys.tenantOf(created.apiKey()));
        assertTrue(created.apiKey().matches("sk_[0-9A-Za-z]{43}"));

        try (var connection = postgres.getPostgresDatabase().getConnection();
             ResultSet rows = connection.createStatement().executeQuery("select key_hash from api_keys")) {
            while (rows.next()) {
                assertFalse(rows.getString(1).contains(created.apiKey().substring(3)));
            }
        }
        tenants.revokeKey(Caller.admin(), "acme", created.keyId());
        assertEquals("invalid_api_key", assertThrows(ApiException.class, () -> apiKeys.tenantOf(created.apiKey())).code());
    }

    @Test
    void tenantIds_areUniqueAndOnlyTheOperatorCreatesTenants() {
        TenantService tenants = context.getBean(TenantService.class);
        tenants.create(Caller.admin(), new TenantService.CreateTenantRequest("globex", "Globex"));
        assertEquals(409, assertThrows(ApiException.class,
                () -> tenants.create(Caller.admin(), new TenantService.CreateTenantRequest("globex", "Again"))).status());
        assertEquals(403, assertThrows(ApiException.class,
                () -> tenants.create(Caller.apiKey("globex"), new TenantService.CreateTenantRequest(null, "Mine"))).status());
    }
}
