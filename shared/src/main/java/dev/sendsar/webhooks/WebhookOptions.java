package dev.sendsar.webhooks;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.util.List;

/** How webhooks behave ({@code sendsar.webhooks.*}, on AWS {@code SENDSAR_WEBHOOKS_*}). */
@ConfigurationProperties("sendsar.webhooks")
public interface WebhookOptions {

    /**
     * The key that encrypts tenants' signing secrets at rest (any string; AES-256-GCM keyed with its SHA-256).
     * Locally generated and kept in the data directory; on AWS a generated Secrets Manager secret.
     */
    @Nullable
    String getSecretKey();

    /**
     * Seconds to wait before each retry after a failed attempt (§7's ladder by default); attempts in all are one
     * more than the entries. Tests shorten it.
     */
    @Bindable(defaultValue = "10,60,300,900,3600,10800,21600")
    List<Integer> getRetryDelays();

    /** Only the local runtime sets this, so a receiver on 127.0.0.1 works; on AWS every private address is refused. */
    @Bindable(defaultValue = "false")
    boolean isAllowLoopback();

    /** How long a warm function trusts a cached webhook configuration. */
    @Bindable(defaultValue = "10")
    int getConfigCacheSeconds();
}
