package dev.sendsar.functions.workers;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.sendsar.workers.PartialBatch;
import dev.sendsar.functions.lambda.OnDemandContext;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.function.aws.MicronautRequestHandler;

/**
 * A worker on the data table's change stream (a {@code RouteTable.WORKERS} entry with {@code Trigger.TABLE_STREAM}).
 * Subclasses handle one record, in shard order; a record that throws is reported and the shard resumes there, so
 * order per partition key holds. The same class runs on Lambda and under the local runtime's stream poller.
 */
public abstract class TableStreamWorkerFunction extends MicronautRequestHandler<DynamodbEvent, StreamsEventResponse> {

    protected TableStreamWorkerFunction() {
    }

    protected TableStreamWorkerFunction(ApplicationContext context) {
        super(context);
    }

    /** Beans on first use, not all at start: see {@link OnDemandContext}. */
    @Override
    protected ApplicationContextBuilder newApplicationContextBuilder() {
        return OnDemandContext.builder();
    }

    /** Does one record's work; throw to have the shard resume at this record. */
    protected abstract void handle(DynamodbEvent.DynamodbStreamRecord record) throws Exception;

    @Override
    public final StreamsEventResponse execute(DynamodbEvent event) {
        return PartialBatch.inOrder(event, this::handle);
    }
}
