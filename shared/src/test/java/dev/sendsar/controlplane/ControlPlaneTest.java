package dev.sendsar.controlplane;

import dev.sendsar.auth.ApiKeyService;
import dev.sendsar.domain.Caller;
import dev.sendsar.error.ApiException;
import dev.sendsar.service.TenantService;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.ResultSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tenants and API keys in PostgreSQL through the real Micronaut Data repositories. */
class ControlPlaneTest {
    private static ControlPlaneDatabase database;
    private static ApplicationContext context;

    @BeforeAll
    static void start() throws Exception {
        database = new ControlPlaneDatabase();
        context = database.context;
        context.getBean(ControlPlaneSchema.class).create(); // creating the schema again changes nothing
    }

    @AfterAll
    static void stop() throws Exception {
        database.close();
    }

    @Test
    void apiKeys_areStoredHashedResolveToTheirTenantAndStopAtRevocation() throws Exception {
        TenantService tenants = context.getBean(TenantService.class);
        ApiKeyService apiKeys = context.getBean(ApiKeyService.class);
        TenantService.CreatedTenant created = tenants.create(Caller.admin(), new TenantService.CreateTenantRequest("acme", "Acme"));
        assertEquals(Caller.apiKey("acme", created.keyId()), apiKeys.authenticate(created.apiKey()));
        assertTrue(apiKeys.isLive("acme", created.keyId()));
        assertFalse(apiKeys.isLive("globex", created.keyId()));
        assertTrue(created.apiKey().matches("sk_[0-9A-Za-z]{43}"));

        try (var connection = database.postgres.getPostgresDatabase().getConnection();
             ResultSet rows = connection.createStatement().executeQuery("select key_hash from api_keys")) {
            while (rows.next()) {
                assertFalse(rows.getString(1).contains(created.apiKey().substring(3)));
            }
        }
        tenants.revokeKey(Caller.admin(), "acme", created.keyId());
        assertEquals("invalid_api_key", assertThrows(ApiException.class, () -> apiKeys.authenticate(created.apiKey())).code());
        assertFalse(apiKeys.isLive("acme", created.keyId()), "tokens the revoked key minted stop with it");
    }

    @Test
    void tenantIds_areUnique() {
        TenantService tenants = context.getBean(TenantService.class);
        tenants.create(Caller.admin(), new TenantService.CreateTenantRequest("globex", "Globex"));
        assertEquals(409, assertThrows(ApiException.class,
                () -> tenants.create(Caller.admin(), new TenantService.CreateTenantRequest("globex", "Again"))).status());
    }
}
