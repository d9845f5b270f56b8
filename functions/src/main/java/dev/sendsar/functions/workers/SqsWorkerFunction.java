package dev.sendsar.functions.workers;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.sendsar.workers.PartialBatch;
import dev.sendsar.functions.lambda.OnDemandContext;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.function.aws.MicronautRequestHandler;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

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

    /** Beans on first use, not all at start: see {@link OnDemandContext}. */
    @Override
    protected ApplicationContextBuilder newApplicationContextBuilder() {
        return OnDemandContext.builder();
    }

    /** Does one message's work; throw to have it delivered again. */
    protected abstract void handle(SQSEvent.SQSMessage message) throws Exception;

    /**
     * How many messages of a batch run at once: 1 (in order) unless a worker waits on slow I/O per message, where
     * running the batch at once keeps one slow message from delaying the others.
     */
    protected int parallelism() {
        return 1;
    }

    @Override
    public final SQSBatchResponse execute(SQSEvent event) {
        int messages = event == null || event.getRecords() == null ? 0 : event.getRecords().size();
        if (parallelism() <= 1 || messages <= 1) {
            return PartialBatch.eachMessage(event, this::handle);
        }
        // A pool per invocation: on Lambda an instance runs one batch at a time; locally one instance serves all.
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism(), messages), r -> {
            Thread thread = new Thread(r, getClass().getSimpleName());
            thread.setDaemon(true);
            return thread;
        });
        try {
            return PartialBatch.eachMessage(event, this::handle, pool);
        } finally {
            pool.shutdown();
        }
    }
}
