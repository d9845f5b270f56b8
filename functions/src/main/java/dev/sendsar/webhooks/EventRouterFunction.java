package dev.sendsar.webhooks;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import dev.sendsar.functions.workers.TableStreamWorkerFunction;
import io.micronaut.context.ApplicationContext;
import jakarta.inject.Inject;

/** The {@code event-router} worker: the data table's change stream in, one queued delivery per event out. */
public class EventRouterFunction extends TableStreamWorkerFunction {
    @Inject
    EventRouter router;

    public EventRouterFunction() {
    }

    public EventRouterFunction(ApplicationContext context) {
        super(context);
    }

    @Override
    protected void handle(DynamodbEvent.DynamodbStreamRecord record) {
        router.route(record);
    }
}
