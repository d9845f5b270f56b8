package dev.sendsar.controlplane;

import dev.sendsar.ports.TenantDirectory;
import io.micronaut.data.exceptions.DataAccessException;
import jakarta.inject.Singleton;

import java.util.Optional;

@Singleton
public class JdbcTenantDirectory implements TenantDirectory {
    private static final String ACTIVE = "active";

    private final TenantRows tenants;
    private final ApiKeyRows apiKeys;

    public JdbcTenantDirectory(TenantRows tenants, ApiKeyRows apiKeys) {
        this.tenants = tenants;
        this.apiKeys = apiKeys;
    }

    @Override
    public boolean createTenant(Tenant tenant) {
        if (tenants.existsById(tenant.id())) {
            return false;
        }
        try {
            tenants.save(new TenantRow(tenant.id(), tenant.name(), tenant.active() ? ACTIVE : "suspended", "{}", tenant.createdAt()));
            return true;
        } catch (DataAccessException raced) {
            return false;
        }
    }

    @Override
    public Optional<Tenant> findTenant(String tenantId) {
        return tenants.findById(tenantId).map(r -> new Tenant(r.id(), r.name(), ACTIVE.equals(r.status()), r.createdAt()));
    }

    @Override
    public void saveApiKey(ApiKey key) {
        apiKeys.save(new ApiKeyRow(key.id(), key.tenantId(), key.keyHash(), key.createdAt(), key.revokedAt()));
    }

    @Override
    public Optional<ApiKey> findApiKeyByHash(String keyHash) {
        return apiKeys.findByKeyHash(keyHash).map(JdbcTenantDirectory::toKey);
    }

    @Override
    public Optional<ApiKey> findApiKey(String keyId) {
        return apiKeys.findById(keyId).map(JdbcTenantDirectory::toKey);
    }

    @Override
    public boolean revokeApiKey(String tenantId, String keyId, String revokedAt) {
        return apiKeys.findByIdAndTenantId(keyId, tenantId)
                .filter(row -> row.revokedAt() == null)
                .map(row -> {
                    apiKeys.update(new ApiKeyRow(row.id(), row.tenantId(), row.keyHash(), row.createdAt(), revokedAt));
                    return true;
                })
                .orElse(false);
    }

    @Override
    public Optional<String> findSettings(String tenantId) {
        return tenants.findSettingsById(tenantId);
    }

    @Override
    public boolean replaceSettings(String tenantId, String expected, String updated) {
        return tenants.replaceSettings(tenantId, expected, updated) == 1;
    }

    private static ApiKey toKey(ApiKeyRow r) {
        return new ApiKey(r.id(), r.tenantId(), r.keyHash(), r.createdAt(), r.revokedAt());
    }
}
