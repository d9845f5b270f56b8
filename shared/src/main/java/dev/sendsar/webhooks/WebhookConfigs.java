package dev.sendsar.webhooks;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sendsar.ports.NewMessageSubscribers;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Optional;

/**
 * Tenants' webhook configurations as the event router and the delivery worker read them, and whether they want new
 * messages as a send reads it (the flags alone: a send never sees a signing secret): cached for
 * {@link WebhookOptions#getConfigCacheSeconds()} (the bound on how late a PUT reaches a warm function elsewhere),
 * and at once in the process that changed them.
 */
@Singleton
public class WebhookConfigs implements NewMessageSubscribers {
    private final WebhookStore store;
    private final Cache<String, Optional<WebhookConfig>> cache;
    private final Cache<String, Boolean> wantNewMessages;

    public WebhookConfigs(WebhookStore store, WebhookOptions options) {
        this.store = store;
        this.cache = Caffeine.newBuilder().maximumSize(10_000)
                .expireAfterWrite(Duration.ofSeconds(options.getConfigCacheSeconds())).build();
        this.wantNewMessages = Caffeine.newBuilder().maximumSize(10_000)
                .expireAfterWrite(Duration.ofSeconds(options.getConfigCacheSeconds())).build();
    }

    @Override
    public boolean wantNewMessages(String tenantId) {
        return wantNewMessages.get(tenantId, t -> store.wants(t, ServerEvent.MESSAGE_CREATED));
    }

    public Optional<WebhookConfig> of(String tenantId) {
        return cache.get(tenantId, store::config);
    }

    public void save(WebhookConfig config) {
        store.saveConfig(config);
        cache.put(config.tenantId(), Optional.of(config));
        wantNewMessages.put(config.tenantId(), config.wants(ServerEvent.MESSAGE_CREATED));
    }
}
