package dev.sendsar.push;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.sendsar.functions.workers.SqsWorkerFunction;
import dev.sendsar.json.Json;
import io.micronaut.context.ApplicationContext;
import jakarta.inject.Inject;

/**
 * The push queue's worker: one {@link PushJob} per message. Transient provider failures are re-queued by the service
 * with a delay (so they never fail the batch); an exception here (storage down) fails this message only.
 */
public class PushWorker extends SqsWorkerFunction {
    @Inject
    PushService push;
    @Inject
    Json json;

    public PushWorker() {
    }

    public PushWorker(ApplicationContext context) {
        super(context);
    }

    @Override
    protected void handle(SQSEvent.SQSMessage message) throws Exception {
        push.deliver(json.read(message.getBody(), PushJob.class));
    }
}
