package dev.sendsar.webhooks;

import dev.sendsar.domain.Page;

import java.util.Optional;

/** Where webhook configurations and the delivery log live. */
public interface WebhookStore {

    Optional<WebhookConfig> config(String tenantId);

    /** Whether the tenant's webhook is enabled and wants {@code eventType}: the configuration's flags only, no secret. */
    boolean wants(String tenantId, String eventType);

    void saveConfig(WebhookConfig config);

    /** Records a new event to deliver; false if this event id is already in the log. */
    boolean createDelivery(String tenantId, Delivery delivery);

    Optional<Delivery> delivery(String tenantId, String eventId);

    /** The outcome of an attempt (or of a replay request, which sets it pending with no next attempt). */
    void updateDelivery(String tenantId, Delivery delivery);

    /** Newest first; {@code status} null for all. */
    Page<Delivery> deliveries(String tenantId, String status, String cursor, int limit);
}
