package dev.sendsar.ports;

import java.util.Optional;

/** The control plane: tenants and their API keys (only hashes are stored). */
public interface TenantDirectory {

    record Tenant(String id, String name, boolean active, String createdAt) {
    }

    record ApiKey(String id, String tenantId, String keyHash, String createdAt, String revokedAt) {
    }

    /** Creates a tenant; false when the id is taken. */
    boolean createTenant(Tenant tenant);

    Optional<Tenant> findTenant(String tenantId);

    void saveApiKey(ApiKey key);

    Optional<ApiKey> findApiKeyByHash(String keyHash);

    Optional<ApiKey> findApiKey(String keyId);

    /** Marks the key revoked; false when the tenant has no such live key. */
    boolean revokeApiKey(String tenantId, String keyId, String revokedAt);

    /** The tenant's settings overrides as stored (JSON text); empty when there is no such tenant. */
    Optional<String> findSettings(String tenantId);

    /** Replaces the stored settings only if they are still {@code expected} (compare-and-set); false otherwise. */
    boolean replaceSettings(String tenantId, String expected, String updated);
}
