package dev.sendsar.auth;

import dev.sendsar.error.ErrorCode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sendsar.config.SendsarConfig;
import dev.sendsar.domain.Ids;
import dev.sendsar.domain.Times;
import dev.sendsar.error.ApiException;
import dev.sendsar.ports.TenantDirectory;
import dev.sendsar.ports.TenantDirectory.ApiKey;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Optional;

/**
 * API keys: issued once in clear, stored as SHA-256, resolved to a tenant through a short-TTL cache so a warm
 * function rarely touches the control plane. A revocation bites at once here and within the cache TTL elsewhere.
 */
@Singleton
public class ApiKeyService {

    @io.micronaut.serde.annotation.Serdeable
    public record IssuedKey(String keyId, String apiKey) {
    }

    private final TenantDirectory directory;
    private final Cache<String, Optional<String>> tenantByHash;
    private final Cache<String, Boolean> tenantActive;

    public ApiKeyService(TenantDirectory directory, SendsarConfig config) {
        this.directory = directory;
        Duration ttl = Duration.ofSeconds(config.getApiKeyCacheSeconds());
        this.tenantByHash = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(10_000).build();
        this.tenantActive = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(10_000).build();
    }

    public IssuedKey issue(String tenantId) {
        String key = Secrets.randomKey("sk_");
        String keyId = Ids.uuid();
        directory.saveApiKey(new ApiKey(keyId, tenantId, Secrets.sha256(key), Times.now(), null));
        return new IssuedKey(keyId, key);
    }

    public void revoke(String tenantId, String keyId) {
        if (!directory.revokeApiKey(tenantId, keyId, Times.now())) {
            throw new ApiException(ErrorCode.API_KEY_NOT_FOUND, "No such API key");
        }
        tenantByHash.invalidateAll();
    }

    /** The tenant of a live key of an active tenant; a 401 {@code invalid_api_key} otherwise. */
    public String tenantOf(String apiKey) {
        Optional<String> tenant = tenantByHash.get(Secrets.sha256(apiKey), hash -> directory.findApiKeyByHash(hash)
                .filter(k -> k.revokedAt() == null)
                .map(ApiKey::tenantId));
        return tenant.filter(this::isActive)
                .orElseThrow(() -> new ApiException(ErrorCode.INVALID_API_KEY, "The API key is not valid"));
    }

    public boolean isActive(String tenantId) {
        return tenantActive.get(tenantId, id -> directory.findTenant(id).map(TenantDirectory.Tenant::active).orElse(false));
    }
}
