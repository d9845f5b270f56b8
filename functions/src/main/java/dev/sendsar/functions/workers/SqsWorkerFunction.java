package dev.sendsar.functions.workers;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.sendsar.workers.PartialBatch;
import io.micronaut.context.ApplicationContext;
import io.micronaut.function.aws.MicronautRequestHandler;

/**
 * An SQS-triggered worker (a {@code RouteTable.WORKERS} entry with {@code Trigger.SQS}). Subclasses handle one
 * message; a message whose handling throws is reported as a batch item failure and received again after the queue's
 * visibility timeout (then, after {@code maxReceiveCount} receives, it moves to the dead-letter queue). The same class
 * runs on Lambda and under the local runtime's poller.
 */
public abstract class SqsWorkerFunction extends MicronautRequestHandler<SQSEvent, SQSBatchResponse> {

    protected SqsWorkerFunction() {
    }

    protected SqsWorkerFunction(ApplicationContext context) {
        super(context);
    }

    /** Does one message's work; throw to have it delivered again. */
    protected abstract void handle(SQSEvent.SQSMessage message) throws Exception;

    @Override
    public final SQSBatchResponse execute(SQSEvent event) {
        return PartialBatch.eachMessage(event, this::handle);
    }
}
