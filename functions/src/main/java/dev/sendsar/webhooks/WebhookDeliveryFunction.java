package dev.sendsar.webhooks;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.sendsar.functions.workers.SqsWorkerFunction;
import io.micronaut.context.ApplicationContext;
import jakarta.inject.Inject;

/**
 * The {@code webhook-delivery} worker: one attempt per message of the {@code webhooks} queue. A failed attempt is not
 * a failed message: the retry is a new, delayed message, so the batch item fails only if the attempt could not be
 * made or recorded (then SQS redelivers it).
 */
public class WebhookDeliveryFunction extends SqsWorkerFunction {
    @Inject
    WebhookDeliveries deliveries;
    @Inject
    WebhookQueue queue;

    public WebhookDeliveryFunction() {
    }

    public WebhookDeliveryFunction(ApplicationContext context) {
        super(context);
    }

    /** A batch's POSTs run at once: one tenant's slow receiver (up to 5 s) must not hold up another's events. */
    @Override
    protected int parallelism() {
        return 10;
    }

    @Override
    protected void handle(SQSEvent.SQSMessage message) {
        deliveries.attempt(queue.read(message.getBody()));
    }
}
