package dev.sendsar.fakes;

import dev.sendsar.ports.TenantDirectory;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The control plane in memory: tenants, keys and the settings text with its compare-and-set. */
public final class InMemoryTenantDirectory implements TenantDirectory {
    private final Map<String, Tenant> tenants = new HashMap<>();
    private final Map<String, String> settings = new HashMap<>();
    private final Map<String, ApiKey> keys = new HashMap<>();
    /** Runs before each compare-and-set, to simulate a concurrent writer. */
    public Runnable beforeReplace = () -> { };

    @Override
    public synchronized boolean createTenant(Tenant tenant) {
        if (tenants.containsKey(tenant.id())) {
            return false;
        }
        tenants.put(tenant.id(), tenant);
        settings.put(tenant.id(), "{}");
        return true;
    }

    @Override
    public synchronized Optional<Tenant> findTenant(String tenantId) {
        return Optional.ofNullable(tenants.get(tenantId));
    }

    @Override
    public synchronized void saveApiKey(ApiKey key) {
        keys.put(key.id(), key);
    }

    @Override
    public synchronized Optional<ApiKey> findApiKeyByHash(String keyHash) {
        return keys.values().stream().filter(k -> k.keyHash().equals(keyHash)).findFirst();
    }

    @Override
    public synchronized Optional<ApiKey> findApiKey(String keyId) {
        return Optional.ofNullable(keys.get(keyId));
    }

    @Override
    public synchronized boolean revokeApiKey(String tenantId, String keyId, String revokedAt) {
        ApiKey k = keys.get(keyId);
        if (k == null || !k.tenantId().equals(tenantId) || k.revokedAt() != null) {
            return false;
        }
        keys.put(keyId, new ApiKey(k.id(), k.tenantId(), k.keyHash(), k.createdAt(), revokedAt));
        return true;
    }

    @Override
    public synchronized Optional<String> findSettings(String tenantId) {
        return Optional.ofNullable(settings.get(tenantId));
    }

    @Override
    public boolean replaceSettings(String tenantId, String expected, String updated) {
        beforeReplace.run();
        synchronized (this) {
            if (!expected.equals(settings.get(tenantId))) {
                return false;
            }
            settings.put(tenantId, updated);
            return true;
        }
    }

    /** What is stored, for asserting that only overrides are kept. */
    public synchronized String storedSettings(String tenantId) {
        return settings.get(tenantId);
    }
}
