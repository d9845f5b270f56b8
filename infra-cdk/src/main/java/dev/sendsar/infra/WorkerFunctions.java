package dev.sendsar.infra;

import dev.sendsar.dynamo.TableKeys;
import dev.sendsar.routes.RouteTable;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.lambda.FilterCriteria;
import software.amazon.awscdk.services.lambda.FilterRule;
import software.amazon.awscdk.services.lambda.StartingPosition;
import software.amazon.awscdk.services.lambda.eventsources.DynamoEventSource;
import software.constructs.Construct;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One function per {@link RouteTable#WORKERS} entry, in nested {@link RouteStack}s like the API routes, each invoked
 * through its alias by its event source: an SQS worker by its queue ({@link WorkQueue#consumeWith}), a stream worker
 * by the data table's change stream. Both event sources report batch item failures, so one bad record is retried
 * alone (SQS) or from where it failed (stream), never the whole batch.
 */
public class WorkerFunctions extends Construct {
    /** A stream worker that falls this far behind the table is alarmed on: events are late. */
    static final Duration STREAM_LAG_ALARM = Duration.minutes(5);

    private final Map<String, RouteFunction> functions = new LinkedHashMap<>();
    private final List<RouteStack> stacks = new ArrayList<>();

    public WorkerFunctions(Construct scope, String id, Platform platform, RouteSet routes) {
        super(scope, id);
        List<List<RouteTable.Worker>> chunks = RouteStack.chunks(routes.workers());
        for (int i = 0; i < chunks.size(); i++) {
            RouteStack stack = new RouteStack(this, "Routes" + (i + 1),
                    "Sendsar worker functions, part " + (i + 1) + " of " + chunks.size(), platform);
            stacks.add(stack);
            for (RouteTable.Worker worker : chunks.get(i)) {
                Duration timeout = Duration.seconds(worker.timeoutSeconds());
                RouteFunction function = new RouteFunction(stack, worker.name(), new RouteFunction.Props(worker.name(),
                        "worker " + worker.name() + " (" + (worker.queue() == null ? "table stream" : "queue " + worker.queue()) + ")",
                        worker.handler(), routes.access().apply(worker.name()), timeout), stack.platform());
                functions.put(worker.name(), function);
                switch (worker.trigger()) {
                    case SQS -> platform.queues().named(worker.queue())
                            .consumeWith(function.alias(), timeout, worker.batchSize(), worker.maxConcurrency());
                    case TABLE_STREAM -> {
                        // Retried until the record expires (24 h): an event is never skipped; the lag alarm tells.
                        DynamoEventSource.Builder source = DynamoEventSource.Builder.create(platform.table().table())
                                .startingPosition(StartingPosition.TRIM_HORIZON)
                                .batchSize(worker.batchSize())
                                .parallelizationFactor(worker.maxConcurrency())
                                .reportBatchItemFailures(true);
                        if (!worker.streamFilters().isEmpty()) { // none: every record
                            source.filters(filters(worker));
                        }
                        function.alias().addEventSource(source.build());
                        platform.alarms().atLeast(function, "StreamLag", worker.name() + " is behind the table's change stream",
                                function.function().metric("IteratorAge", MetricOptions.builder()
                                        .period(AlarmTopic.period()).statistic("Maximum").build()),
                                STREAM_LAG_ALARM.toMilliseconds().doubleValue());
                    }
                }
            }
        }
    }

    /** The worker's {@link RouteTable.StreamFilter}s as Lambda event filters: a dropped record invokes nothing. */
    static List<Map<String, Object>> filters(RouteTable.Worker worker) {
        return worker.streamFilters().stream().map(f -> {
            Map<String, Object> keys = Map.of("Keys", Map.of(TableKeys.SK, Map.of("S", FilterRule.beginsWith(f.sortKeyPrefix()))));
            // a leaf path: "exists" matches only a JSON value, so the flag's type is part of it
            Map<String, Object> record = f.unlessFlag() == null ? keys : Map.of("Keys", keys.get("Keys"),
                    "NewImage", Map.of(f.unlessFlag(), Map.of("BOOL", FilterRule.notExists())));
            return FilterCriteria.filter(Map.of("eventName", FilterRule.or(f.eventNames().toArray(String[]::new)), "dynamodb", record));
        }).toList();
    }

    public Map<String, RouteFunction> functions() {
        return Map.copyOf(functions);
    }

    public List<RouteStack> stacks() {
        return List.copyOf(stacks);
    }
}
