package dev.sendsar.bench;

import dev.sendsar.dynamo.ItemSize;
import dev.sendsar.dynamo.TableKeys;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * Times every AWS SDK call the functions make while a window is open, and sums the DynamoDB capacity they consume,
 * without touching product code: the SDK loads it for every client from
 * {@code software/amazon/awssdk/global/handlers/execution.interceptors} on the classpath. While a window is open it
 * asks every DynamoDB call for {@code ReturnConsumedCapacity=TOTAL} (table and indexes) and adds up what DynamoDB
 * (Local) reports: read units for reads, write units for writes. Outside a window it does nothing but one volatile
 * read per call. Only the bench's JVM has it; the cold-start children run without the bench classes.
 */
public final class SdkCallTimer implements ExecutionInterceptor {
    /** One SDK call: {@code service.operation}, when it started and how long it took, end to end in the client. */
    public record Call(String name, long startNanos, long nanos, boolean failed) {
    }

    /**
     * Read and write capacity units consumed in a window; the write units also by operation ("UpdateItem"…); the
     * {@code @connections} posts that went through (each a billed WebSocket message); and the SQS send requests
     * ({@code SendMessage}, {@code SendMessageBatch}: each one billed request, and a receive and a delete to come);
     * and the time metering itself spent inside the calls (reading transactions' items back), which a timed function
     * did not spend on its own work.
     */
    public record Capacity(double readUnits, double writeUnits, long refusedWrites, Map<String, Double> writeUnitsByCall,
                           long posts, long queueSends, long meteringNanos) {
    }

    private static final ExecutionAttribute<Long> START = new ExecutionAttribute<>("sendsar.bench.start");
    private static volatile boolean recording;
    private static volatile boolean metering;
    private static final ConcurrentLinkedQueue<Call> CALLS = new ConcurrentLinkedQueue<>();
    private static final DoubleAdder READ_UNITS = new DoubleAdder();
    private static final DoubleAdder WRITE_UNITS = new DoubleAdder();
    private static final java.util.concurrent.atomic.LongAdder REFUSED_WRITES = new java.util.concurrent.atomic.LongAdder();
    private static final Map<String, DoubleAdder> WRITES_BY_CALL = new ConcurrentHashMap<>();
    private static final java.util.concurrent.atomic.LongAdder POSTS = new java.util.concurrent.atomic.LongAdder();
    private static final java.util.concurrent.atomic.LongAdder QUEUE_SENDS = new java.util.concurrent.atomic.LongAdder();
    private static final java.util.concurrent.atomic.LongAdder METERING_NANOS = new java.util.concurrent.atomic.LongAdder();

    /** Opens a window: calls that start from now on are recorded and metered. */
    public static void begin() {
        CALLS.clear();
        meter();
        recording = true;
    }

    /** Closes the window and returns the calls it saw, in order of completion. */
    public static List<Call> end() {
        recording = false;
        List<Call> calls = new ArrayList<>(CALLS);
        CALLS.clear();
        return calls;
    }

    /** Starts metering capacity only (no per-call records: for long concurrent runs), from zero. */
    public static void meter() {
        READ_UNITS.reset();
        WRITE_UNITS.reset();
        REFUSED_WRITES.reset();
        WRITES_BY_CALL.clear();
        POSTS.reset();
        QUEUE_SENDS.reset();
        METERING_NANOS.reset();
        metering = true;
    }

    /** What was consumed since {@link #meter()} or {@link #begin()}; metering goes on. */
    public static Capacity capacity() {
        Map<String, Double> byCall = new TreeMap<>();
        WRITES_BY_CALL.forEach((call, units) -> byCall.put(call, units.sum()));
        return new Capacity(READ_UNITS.sum(), WRITE_UNITS.sum(), REFUSED_WRITES.sum(), byCall, POSTS.sum(), QUEUE_SENDS.sum(), METERING_NANOS.sum());
    }

    /** Stops metering. */
    public static Capacity stopMetering() {
        metering = false;
        return capacity();
    }

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        if (!metering) {
            return context.request();
        }
        SdkRequest r = context.request();
        ReturnConsumedCapacity total = ReturnConsumedCapacity.TOTAL;
        if (r instanceof GetItemRequest g) return g.toBuilder().returnConsumedCapacity(total).build();
        if (r instanceof PutItemRequest p) return p.toBuilder().returnConsumedCapacity(total).build();
        if (r instanceof UpdateItemRequest u) return u.toBuilder().returnConsumedCapacity(total).build();
        if (r instanceof DeleteItemRequest d) return d.toBuilder().returnConsumedCapacity(total).build();
        if (r instanceof QueryRequest q) return q.toBuilder().returnConsumedCapacity(total).build();
        if (r instanceof BatchGetItemRequest b) return b.toBuilder().returnConsumedCapacity(total).build();
        if (r instanceof BatchWriteItemRequest b) return b.toBuilder().returnConsumedCapacity(total).build();
        if (r instanceof TransactWriteItemsRequest t) return t.toBuilder().returnConsumedCapacity(total).build();
        if (r instanceof TransactGetItemsRequest t) return t.toBuilder().returnConsumedCapacity(total).build();
        return r;
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (recording) {
            attributes.putAttribute(START, System.nanoTime());
        }
    }

    /**
     * DynamoDB Local reports a transaction as 4 units per KB of one of its items, however many items it writes; AWS
     * bills 2 units per started KB of every item. With a reader set, transactions are metered by AWS's rule: puts by
     * the item sent, updates by the item as it is afterwards (read back unmetered), deletes and condition checks as
     * one KB each.
     */
    public static void billTransactionsLikeAws(DynamoDbClient reader) {
        transactionReader = reader;
    }

    private static volatile DynamoDbClient transactionReader;
    /** Set while the timer reads an item back for its size: that read is not the send's. */
    private static final ThreadLocal<Boolean> SIZING = ThreadLocal.withInitial(() -> false);

    /**
     * Per item: 2 units per started KB of the item, plus its GSI1 entry as a standard write of 1 unit per started KB
     * when AWS writes it, which DynamoDB Local leaves out of a transaction's figure: a put of an item with GSI1 keys,
     * an update that changes a GSI1 key or an attribute GSI1 holds (not, say, a cursor). Deletes and condition checks
     * count as one KB each.
     */
    private static double awsTransactionUnits(TransactWriteItemsRequest request) {
        double units = 0;
        for (TransactWriteItem item : request.transactItems()) {
            if (item.put() != null) {
                units += 2 * ItemSize.writeUnits(item.put().item()) + indexUnits(item.put().item());
            } else if (item.update() != null) {
                SIZING.set(true);
                long started = System.nanoTime();
                try {
                    Map<String, AttributeValue> after = transactionReader.getItem(b -> b.tableName(item.update().tableName())
                            .key(item.update().key()).consistentRead(true)).item();
                    after = after == null ? Map.of() : after;
                    units += 2 * ItemSize.writeUnits(after)
                            + (changesIndex(item.update().updateExpression(), item.update().expressionAttributeNames()) ? indexUnits(after) : 0);
                } finally {
                    SIZING.set(false);
                    METERING_NANOS.add(System.nanoTime() - started);
                }
            } else {
                units += 2;
            }
        }
        return units;
    }

    /** The GSI1 entry's write units: the table's and the index's keys and the attributes GSI1 holds; 0 if not in it. */
    static double indexUnits(Map<String, AttributeValue> item) {
        if (!item.containsKey(TableKeys.GSI1_PK) || !item.containsKey(TableKeys.GSI1_SK)) {
            return 0;
        }
        Map<String, AttributeValue> entry = new java.util.HashMap<>();
        List<String> held = new ArrayList<>(List.of(TableKeys.PK, TableKeys.SK, TableKeys.GSI1_PK, TableKeys.GSI1_SK));
        held.addAll(TableKeys.GSI1_INCLUDES);
        held.stream().filter(item::containsKey).forEach(name -> entry.put(name, item.get(name)));
        return ItemSize.writeUnits(entry);
    }

    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[#:]?[A-Za-z_][A-Za-z0-9_]*");

    /** Whether an update expression names a GSI1 key or an attribute GSI1 holds (values, {@code :x}, are not names). */
    static boolean changesIndex(String updateExpression, Map<String, String> placeholders) {
        java.util.regex.Matcher m = NAME.matcher(updateExpression == null ? "" : updateExpression);
        while (m.find()) {
            String token = m.group();
            String name = token.startsWith("#") ? placeholders.getOrDefault(token, token) : token;
            if (!token.startsWith(":") && (name.equals(TableKeys.GSI1_PK) || name.equals(TableKeys.GSI1_SK)
                    || TableKeys.GSI1_INCLUDES.contains(name))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        if (metering && !SIZING.get()) {
            String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
            if ("PostToConnection".equals(operation)) {
                POSTS.increment();
            } else if ("SendMessage".equals(operation) || "SendMessageBatch".equals(operation)) {
                QUEUE_SENDS.increment();
            } else if (transactionReader != null && context.request() instanceof TransactWriteItemsRequest t) {
                write(operation, ConsumedCapacity.builder().writeCapacityUnits(awsTransactionUnits(t)).build());
            } else {
                meter(context.response(), operation);
            }
        }
        record(attributes, false);
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        // a refused conditional write is charged too, but DynamoDB returns no capacity with the error: count them, and
        // bill them as AWS does (see refusedUnits)
        if (metering && !SIZING.get() && context.exception() instanceof software.amazon.awssdk.services.dynamodb.model.DynamoDbException
                && !(context.request() instanceof GetItemRequest || context.request() instanceof QueryRequest
                || context.request() instanceof BatchGetItemRequest || context.request() instanceof TransactGetItemsRequest)) {
            REFUSED_WRITES.increment();
            write(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME) + " (refused)",
                    ConsumedCapacity.builder().writeCapacityUnits(refusedUnits(context.request(), context.exception())).build());
        }
        record(attributes, true);
    }

    /**
     * AWS bills a single-item write refused by its condition by the size of the item already there, 1 unit per
     * started KB and at least 1 (the refusal hands that item back when asked to); a refused transaction as 2 units
     * per item it names (at least: the items' sizes are not read back for a refusal).
     */
    private static double refusedUnits(SdkRequest request, Throwable refusal) {
        if (request instanceof TransactWriteItemsRequest t) {
            return 2.0 * t.transactItems().size();
        }
        if (refusal instanceof software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException c
                && c.item() != null && !c.item().isEmpty()) {
            return Math.max(1, ItemSize.writeUnits(c.item()));
        }
        return 1;
    }

    private static void meter(SdkResponse response, String operation) {
        if (response instanceof GetItemResponse g) read(g.consumedCapacity());
        else if (response instanceof QueryResponse q) read(q.consumedCapacity());
        else if (response instanceof BatchGetItemResponse b && b.hasConsumedCapacity()) b.consumedCapacity().forEach(SdkCallTimer::read);
        else if (response instanceof TransactGetItemsResponse t && t.hasConsumedCapacity()) t.consumedCapacity().forEach(SdkCallTimer::read);
        else if (response instanceof PutItemResponse p) write(operation, p.consumedCapacity());
        else if (response instanceof UpdateItemResponse u) write(operation, u.consumedCapacity());
        else if (response instanceof DeleteItemResponse d) write(operation, d.consumedCapacity());
        else if (response instanceof BatchWriteItemResponse b && b.hasConsumedCapacity()) b.consumedCapacity().forEach(c -> write(operation, c));
        else if (response instanceof TransactWriteItemsResponse t && t.hasConsumedCapacity()) t.consumedCapacity().forEach(c -> write(operation, c));
    }

    private static void read(ConsumedCapacity c) {
        if (c != null) {
            READ_UNITS.add(c.readCapacityUnits() != null ? c.readCapacityUnits() : c.capacityUnits() == null ? 0 : c.capacityUnits());
        }
    }

    private static void write(String operation, ConsumedCapacity c) {
        if (c != null) {
            double units = c.writeCapacityUnits() != null ? c.writeCapacityUnits() : c.capacityUnits() == null ? 0 : c.capacityUnits();
            WRITE_UNITS.add(units);
            WRITES_BY_CALL.computeIfAbsent(operation, k -> new DoubleAdder()).add(units);
        }
    }

    private static void record(ExecutionAttributes attributes, boolean failed) {
        Long start = attributes.getAttribute(START);
        if (start == null) {
            return;
        }
        long now = System.nanoTime();
        String name = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + "."
                + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        if (!eventSource(name)) {
            CALLS.add(new Call(name, start, now - start, failed));
        }
    }

    /**
     * Calls only the local runtime's event sources make (reading the table's stream, receiving and deleting queue
     * messages: Lambda's pollers on AWS, part of no function's time): not a send's, though made during one.
     */
    static boolean eventSource(String name) {
        return name.startsWith("DynamoDbStreams.") || name.equals("Sqs.ReceiveMessage")
                || name.startsWith("Sqs.DeleteMessage") || name.startsWith("Sqs.ChangeMessageVisibility");
    }
}
