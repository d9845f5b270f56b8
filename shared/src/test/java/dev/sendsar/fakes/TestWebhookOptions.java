package dev.sendsar.fakes;

import dev.sendsar.webhooks.SecretBox;
import dev.sendsar.webhooks.WebhookOptions;

import java.util.List;

/** Webhook options for services wired by hand: a fixed secret key, loopback allowed as in the local runtime. */
public record TestWebhookOptions(String getSecretKey, boolean isAllowLoopback) implements WebhookOptions {
    public static final String SECRET_KEY = "test-secret-key-0123456789";

    /** The box that seals secrets at rest, as the application wires it. */
    public static SecretBox box() {
        return new SecretBox(new TestWebhookOptions(SECRET_KEY, true));
    }

    @Override
    public List<Integer> getRetryDelays() {
        return List.of(1, 2);
    }

    @Override
    public int getConfigCacheSeconds() {
        return 10;
    }
}
