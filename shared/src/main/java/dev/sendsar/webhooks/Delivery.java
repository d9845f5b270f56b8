package dev.sendsar.webhooks;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.micronaut.serde.annotation.Serdeable;

/**
 * One event on its way to a tenant's endpoint, as {@code GET /tenant/webhook/deliveries} shows it. {@code body} is
 * the exact JSON every attempt sends and signs (not shown in the log).
 *
 * @param status        {@code pending} (queued or waiting for a retry), {@code delivered} or {@code failed}
 * @param nextAttemptAt when a retry is due, for pending entries that failed before
 */
@Serdeable
public record Delivery(String eventId, String type, String status, int attempts, Integer lastStatusCode,
                       Long latencyMs, String lastError, String nextAttemptAt, String createdAt, String updatedAt,
                       @JsonIgnore String body) {
    public static final String PENDING = "pending";
    public static final String DELIVERED = "delivered";
    public static final String FAILED = "failed";
}
