package dev.sendsar.webhooks;

import java.util.List;

/**
 * A tenant's webhook endpoint. Secrets are plain here; the store keeps them encrypted.
 *
 * @param events              the event types sent; null means all
 * @param previousSecret      the secret before the last rotation, still signing until {@code previousSecretUntil}
 * @param previousSecretUntil ISO time, or null
 */
public record WebhookConfig(String tenantId, String url, boolean enabled, List<String> events, String secret,
                            String previousSecret, String previousSecretUntil, String createdAt, String updatedAt) {

    public boolean wants(String eventType) {
        return wants(enabled, events, eventType);
    }

    /** Whether a webhook so configured is sent {@code eventType}: enabled, and all events or this one among them. */
    static boolean wants(boolean enabled, List<String> events, String eventType) {
        return enabled && (events == null || events.contains(eventType));
    }

    /** The secrets that sign now: the current one first, then the previous one during its grace period. */
    public List<String> signingSecrets(java.time.Instant now) {
        if (previousSecret != null && previousSecretUntil != null && now.isBefore(java.time.Instant.parse(previousSecretUntil))) {
            return List.of(secret, previousSecret);
        }
        return List.of(secret);
    }
}
