package dev.sendsar.local;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.sendsar.config.SendsarConfig;
import dev.sendsar.routes.RouteTable;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The local DynamoDB Streams event source paces itself as Lambda's does: what a quarter second brings is one batch. */
class StreamPollerTest {
    private static final long WRITING_NANOS = TimeUnit.MILLISECONDS.toNanos(1500);

    private final LocalStack stack = TestStack.get();

    @Test
    void writesInQuickSuccessionReachTheWorkerInAFewBatches_notOneInvocationEach() throws Exception {
        SendsarConfig config = stack.context().getBean(SendsarConfig.class);
        DynamoDbClient dynamo = stack.context().getBean(DynamoDbClient.class);
        String streamArn = dynamo.describeTable(b -> b.tableName(config.getTable())).table().latestStreamArn();
        String pk = "T#pacing#R#" + UUID.randomUUID();
        // items the stack's own event router does not want, so only this test's poller takes them
        RouteTable.Worker worker = RouteTable.Worker.tableStream("pacing", "none", 30, 100,
                List.of(new RouteTable.StreamFilter(List.of("INSERT"), "PACE#")));
        List<List<String>> batches = new CopyOnWriteArrayList<>();
        try (DynamoDbStreamsClient streams = LocalWorkers.streamsClient(config.getDynamodbEndpoint());
             StreamPoller poller = new StreamPoller(streams, streamArn, worker, event -> {
                 batches.add(event.getRecords().stream().map(StreamPollerTest::key).toList());
                 return new StreamsEventResponse();
             }, null)) {
            // the poller starts at the stream's beginning: let it catch up (full batches, read at once) to a marker
            put(dynamo, config, pk, "PACE#marker");
            await(batches, keys -> keys.contains(pk + "/PACE#marker"));
            int before = batches.size();

            // one writer, back to back for a second and a half: a new record every few milliseconds
            long started = System.nanoTime();
            int writes = 0;
            while (System.nanoTime() - started < WRITING_NANOS) {
                put(dynamo, config, pk, String.format("PACE#w%06d", writes++));
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            String last = pk + String.format("/PACE#w%06d", writes - 1);
            await(batches, keys -> keys.contains(last));

            List<List<String>> carrying = batches.subList(before, batches.size()).stream()
                    .filter(keys -> keys.stream().anyMatch(k -> k.startsWith(pk + "/PACE#w"))).toList();
            assertEquals(writes, carrying.stream().mapToLong(keys -> keys.stream().filter(k -> k.startsWith(pk + "/PACE#w")).count()).sum(),
                    "every write handed over once");
            // about four a second, plus one per full batch of 100 (read again at once); polled again at once after
            // every batch, as before, it was one invocation per few records (82 for 235 writes in 1.5 s, measured)
            long allowed = Math.round(4 * seconds) + writes / 100 + 3;
            assertTrue(carrying.size() <= allowed, writes + " writes in " + String.format("%.2f", seconds) + " s reached the worker in "
                    + carrying.size() + " invocations, more than " + allowed);
        }
    }

    private static void put(DynamoDbClient dynamo, SendsarConfig config, String pk, String sk) {
        dynamo.putItem(b -> b.tableName(config.getTable()).item(Map.of("PK", AttributeValue.fromS(pk), "SK", AttributeValue.fromS(sk),
                "doc", AttributeValue.fromS("{}"))));
    }

    private static String key(DynamodbEvent.DynamodbStreamRecord record) {
        var keys = record.getDynamodb().getKeys();
        return keys.get("PK").getS() + "/" + keys.get("SK").getS();
    }

    private static void await(List<List<String>> batches, Predicate<List<String>> batch) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (batches.stream().noneMatch(batch) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(batches.stream().anyMatch(batch), "not handed over within 30 s");
    }
}
