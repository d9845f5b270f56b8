package dev.sendsar.realtime;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.sendsar.functions.workers.SqsWorkerFunction;
import dev.sendsar.json.Json;
import dev.sendsar.ports.FanOutQueue;
import dev.sendsar.service.RealtimePublisher;
import io.micronaut.context.ApplicationContext;
import jakarta.inject.Inject;

/**
 * The fan-out queue's worker: each message is one frame for up to 100 users of a big room (queued by the send that
 * stored it). Only a failed connection read fails a message, before anything was posted, so a batch that delivered is
 * never delivered again by a retry.
 */
public class FanOutWorker extends SqsWorkerFunction {
    @Inject
    RealtimePublisher publisher;
    @Inject
    Json json;

    public FanOutWorker() {
    }

    public FanOutWorker(ApplicationContext context) {
        super(context);
    }

    @Override
    protected void handle(SQSEvent.SQSMessage message) throws Exception {
        publisher.deliver(json.read(message.getBody(), FanOutQueue.Batch.class));
    }

    /** A batch's messages are posted at once: each is a connection read and up to 100 posts, all I/O. */
    @Override
    protected int parallelism() {
        return 10;
    }
}
