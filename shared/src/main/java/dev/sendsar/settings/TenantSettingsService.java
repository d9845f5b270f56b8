package dev.sendsar.settings;

import dev.sendsar.error.ErrorCode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sendsar.config.SendsarConfig;
import dev.sendsar.domain.Caller;
import dev.sendsar.error.ApiException;
import dev.sendsar.error.Violations;
import dev.sendsar.json.Json;
import dev.sendsar.ports.TenantDirectory;
import dev.sendsar.push.PushCredentials;
import dev.sendsar.webhooks.SecretBox;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Tenant settings. The control plane stores only a tenant's overrides (JSON text), so a default changed in a later
 * release reaches every tenant that never set that key. Reads on the request path go through a short-TTL cache: a
 * change applies at once in the process that made it and within the cache TTL everywhere else.
 */
@Singleton
public class TenantSettingsService {
    private static final Logger LOG = LoggerFactory.getLogger(TenantSettingsService.class);
    private static final Map<String, Object> DEFAULTS = SettingsDocument.toMap(TenantSettings.DEFAULTS);
    /** Concurrent PATCHes compare-and-set the stored text; this bounds the retries of a lost race. */
    private static final int MAX_ATTEMPTS = 5;

    private final TenantDirectory directory;
    private final Json json;
    private final SecretBox box;
    private final Cache<String, TenantSettings> cache;

    public TenantSettingsService(TenantDirectory directory, Json json, SecretBox box, SendsarConfig config) {
        this.directory = directory;
        this.json = json;
        this.box = box;
        this.cache = Caffeine.newBuilder().expireAfterWrite(Duration.ofSeconds(config.getSettingsCacheSeconds()))
                .maximumSize(10_000).build();
    }

    /** The effective settings of a tenant; the defaults for a tenant the control plane does not know. */
    public TenantSettings settings(String tenantId) {
        return cache.get(tenantId, id -> directory.findSettings(id).map(stored -> effective(id, stored))
                .orElse(TenantSettings.DEFAULTS));
    }

    /** {@code GET /v1/tenant/settings}: API key or session token. */
    public TenantSettings get(Caller caller) {
        return settings(caller.tenantId());
    }

    /**
     * {@code PATCH /v1/tenant/settings}: deep-merges {@code patch} into the tenant's overrides ({@code null} resets a
     * key to its default). Unknown keys and out-of-range values are a 400 naming each field; nothing is stored then.
     * Push credentials are the exception: each provider object replaces that provider's credentials whole, sealed.
     */
    public TenantSettings patch(Caller caller, Map<String, Object> patch) {
        if (patch == null) {
            throw ApiException.missingBody();
        }
        Violations keys = new Violations();
        SettingsDocument.checkKeys(patch, DEFAULTS, "", keys);
        keys.throwIfAny();
        String tenantId = caller.tenantId();
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            String stored = directory.findSettings(tenantId)
                    .orElseThrow(() -> new ApiException(ErrorCode.TENANT_NOT_FOUND, "No such tenant"));
            Violations values = new Violations();
            Map<String, Object> overrides = SettingsDocument.merge(readOverrides(stored), sealed(patch, values));
            TenantSettings updated = SettingsDocument.parse(SettingsDocument.merge(DEFAULTS, overrides), values);
            values.throwIfAny();
            if (directory.replaceSettings(tenantId, stored, json.write(overrides))) {
                cache.put(tenantId, updated);
                return updated;
            }
        }
        throw new ApiException(ErrorCode.SETTINGS_CONFLICT, "The settings changed concurrently; retry");
    }

    /** The patch as it is stored: its push credentials validated (problems land in {@code v}) and sealed. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> sealed(Map<String, Object> patch, Violations v) {
        if (!(patch.get("push") instanceof Map<?, ?> push)) {
            return patch;
        }
        Map<String, Object> stored = new LinkedHashMap<>(patch);
        stored.put("push", PushCredentials.seal((Map<String, Object>) push, box, json, v));
        return stored;
    }

    private Map<String, Object> readOverrides(String stored) {
        Map<String, Object> map = stored == null || stored.isBlank() ? null : json.readMap(stored);
        return map == null ? Map.of() : map;
    }

    /** Stored overrides that no longer validate (a range tightened in a later release) fall back to the defaults. */
    private TenantSettings effective(String tenantId, String stored) {
        Violations v = new Violations();
        TenantSettings s = SettingsDocument.parse(SettingsDocument.merge(DEFAULTS, readOverrides(stored)), v);
        if (!v.isEmpty()) {
            LOG.warn("Stored settings of tenant {} do not validate; using the defaults", tenantId);
            return TenantSettings.DEFAULTS;
        }
        return s;
    }
}
