package dev.sendsar.webhooks;

import dev.sendsar.domain.Times;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The delivery worker's logic: one attempt per queued task, then the outcome in the log. A failed attempt queues the
 * next one after the ladder's delay ({@link WebhookOptions#getRetryDelays()}); when the ladder is used up the entry
 * is {@code failed} and the task goes to the dead-letter queue. The next task is queued before the log is updated,
 * so a crash in between can repeat an attempt (receivers dedupe by {@code X-Webhook-Id}) but never lose the event.
 */
@Singleton
public class WebhookDeliveries {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookDeliveries.class);

    private final WebhookStore store;
    private final WebhookConfigs configs;
    private final WebhookQueue queue;
    private final WebhookSender sender;
    private final List<Integer> delays;

    public WebhookDeliveries(WebhookStore store, WebhookConfigs configs, WebhookQueue queue, WebhookSender sender,
                             WebhookOptions options) {
        this.store = store;
        this.configs = configs;
        this.queue = queue;
        this.sender = sender;
        this.delays = List.copyOf(options.getRetryDelays());
    }

    public void attempt(WebhookQueue.Task task) {
        Optional<Delivery> found = store.delivery(task.tenantId(), task.eventId());
        if (found.isEmpty() || !found.get().status().equals(Delivery.PENDING)) {
            return; // expired, already delivered (a repeated task), or given up
        }
        if (task.notBefore() > Instant.now().getEpochSecond()) {
            queue.send(task); // a wait longer than SQS's longest delay: one more hop
            return;
        }
        Delivery delivery = found.get();
        Optional<WebhookConfig> config = configs.of(task.tenantId());
        if (config.isEmpty() || !config.get().enabled()) {
            store.updateDelivery(task.tenantId(), withOutcome(delivery, Delivery.FAILED, delivery.attempts(), null, null,
                    "The webhook is disabled", null));
            return;
        }
        WebhookSender.Outcome outcome = sender.post(config.get(), delivery.eventId(), delivery.body(), task.attempt());
        int attempts = delivery.attempts() + 1;
        if (outcome.ok()) {
            store.updateDelivery(task.tenantId(), withOutcome(delivery, Delivery.DELIVERED, attempts, outcome.statusCode(),
                    outcome.latencyMs(), null, null));
            LOG.info("Webhook {} of tenant {} delivered after {} attempt(s)", delivery.eventId(), task.tenantId(), attempts);
        } else if (task.step() < delays.size()) {
            long next = Instant.now().getEpochSecond() + delays.get(task.step());
            queue.send(new WebhookQueue.Task(task.tenantId(), task.eventId(), task.attempt() + 1, task.step() + 1, next));
            store.updateDelivery(task.tenantId(), withOutcome(delivery, Delivery.PENDING, attempts, outcome.statusCode(),
                    outcome.latencyMs(), outcome.error(), Times.format(Instant.ofEpochSecond(next))));
        } else {
            queue.deadLetter(task);
            store.updateDelivery(task.tenantId(), withOutcome(delivery, Delivery.FAILED, attempts, outcome.statusCode(),
                    outcome.latencyMs(), outcome.error(), null));
            LOG.warn("Webhook {} of tenant {} failed after {} attempt(s): {}", delivery.eventId(), task.tenantId(), attempts,
                    outcome.error());
        }
    }

    private static Delivery withOutcome(Delivery d, String status, int attempts, Integer statusCode, Long latencyMs,
                                        String error, String nextAttemptAt) {
        return new Delivery(d.eventId(), d.type(), status, attempts, statusCode, latencyMs, error, nextAttemptAt,
                d.createdAt(), Times.now(), d.body());
    }
}
