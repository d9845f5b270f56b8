package dev.sendsar.auth;

import dev.sendsar.error.ErrorCode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sendsar.config.SendsarConfig;
import dev.sendsar.domain.Caller;
import dev.sendsar.domain.Ids;
import dev.sendsar.domain.Times;
import dev.sendsar.error.ApiException;
import dev.sendsar.ports.TenantDirectory;
import dev.sendsar.ports.TenantDirectory.ApiKey;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Optional;

/**
 * API keys: issued once in clear, stored as SHA-256, looked up through short-TTL caches so a warm function rarely
 * touches the control plane. A revocation bites at once in the process that revoked it and within the cache TTL
 * elsewhere, for the key itself and for every session token it minted (tokens carry their key's id).
 */
@Singleton
public class ApiKeyService {

    @io.micronaut.serde.annotation.Serdeable
    public record IssuedKey(String keyId, String apiKey) {
    }

    /** Keys are {@code sk_} + 43 characters: anything far longer is refused without hashing or a lookup. */
    private static final int MAX_KEY_LENGTH = 256;

    private final TenantDirectory directory;
    private final Cache<String, Optional<ApiKey>> keyByHash;
    private final Cache<String, Optional<ApiKey>> keyById;
    private final Cache<String, Boolean> tenantActive;

    public ApiKeyService(TenantDirectory directory, SendsarConfig config) {
        this.directory = directory;
        Duration ttl = Duration.ofSeconds(config.getApiKeyCacheSeconds());
        this.keyByHash = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(10_000).build();
        this.keyById = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(10_000).build();
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
        keyByHash.invalidateAll();
        keyById.invalidate(keyId);
    }

    /** The caller of a live key of an active tenant; a 401 {@code invalid_api_key} otherwise. */
    public Caller authenticate(String apiKey) {
        if (apiKey.length() > MAX_KEY_LENGTH) {
            throw invalidKey();
        }
        return keyByHash.get(Secrets.sha256(apiKey), directory::findApiKeyByHash)
                .filter(key -> key.revokedAt() == null && isActive(key.tenantId()))
                .map(key -> Caller.apiKey(key.tenantId(), key.id()))
                .orElseThrow(ApiKeyService::invalidKey);
    }

    /** Whether a session token minted with key {@code keyId} for {@code tenantId} still counts: key live, tenant active. */
    public boolean isLive(String tenantId, String keyId) {
        return keyById.get(keyId, directory::findApiKey)
                .filter(key -> key.revokedAt() == null && key.tenantId().equals(tenantId))
                .isPresent() && isActive(tenantId);
    }

    private boolean isActive(String tenantId) {
        return tenantActive.get(tenantId, id -> directory.findTenant(id).map(TenantDirectory.Tenant::active).orElse(false));
    }

    private static ApiException invalidKey() {
        return new ApiException(ErrorCode.INVALID_API_KEY, "The API key is not valid");
    }
}
