package dev.sendsar.bench;

import dev.sendsar.config.SendsarConfig;
import dev.sendsar.local.LocalStack;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * The floor function's work, what any send must do at least in this runtime, with the functions' own clients: one
 * {@code TransactWriteItems} (a conditional put of a ~0.5 KB item at the next seq and a conditional update of the
 * seq, as the send path did) against the same DynamoDB Local, then one {@code @connections} post of a ~0.5 KB frame
 * ({@code bench-floor}, carrying its key) through the same gateway. It runs in the bench's thread, not behind the
 * gateway: no event, no routing, no JSON, which is what makes it a floor.
 */
final class FloorSend {
    private static final String PAD = "x".repeat(400);

    private final DynamoDbClient dynamo;
    private final ApiGatewayManagementApiClient management;
    private final String table;

    FloorSend(LocalStack stack) {
        this.dynamo = stack.context().getBean(DynamoDbClient.class);
        this.management = stack.context().getBean(ApiGatewayManagementApiClient.class);
        this.table = stack.context().getBean(SendsarConfig.class).getTable();
    }

    /**
     * Writes item {@code seq} (1, 2, … per {@code pk}, one writer per pk) and moves the pk's seq to it. Its sort key is
     * not a message's, so no stream worker is handed it: a floor has no event router.
     */
    void transact(String pk, long seq, String key) {
        Map<String, AttributeValue> item = Map.of("PK", s(pk), "SK", s(String.format("F#%012d", seq)),
                "doc", s("{\"key\":\"" + key + "\",\"pad\":\"" + PAD + "\"}"));
        dynamo.transactWriteItems(b -> b.transactItems(
                TransactWriteItem.builder().put(p -> p.tableName(table).item(item)
                        .conditionExpression("attribute_not_exists(PK)")).build(),
                TransactWriteItem.builder().update(u -> u.tableName(table)
                        .key(Map.of("PK", s(pk), "SK", s("META")))
                        .updateExpression("SET lastSeq = :next, updatedAt = :now")
                        .conditionExpression("attribute_not_exists(lastSeq) OR lastSeq = :expected")
                        .expressionAttributeValues(Map.of(":next", n(seq), ":expected", n(seq - 1),
                                ":now", s(Instant.now().toString())))).build()));
    }

    /**
     * The four calls a session user's send makes before its put, on items of their own under {@code pk}: a claim put on
     * condition it is new, a counter update ({@code ADD}), a consistent read of the seq item {@link #transact} wrote and
     * an eventually consistent batch read of two items; {@code atOnce} on four threads of {@code pool} as the send
     * makes them, else one after another. Returns when all four are back.
     */
    void firstStage(String pk, long i, boolean atOnce, ExecutorService pool) {
        List<Runnable> calls = List.of(
                () -> dynamo.putItem(b -> b.tableName(table).conditionExpression("attribute_not_exists(PK)")
                        .item(Map.of("PK", s(pk), "SK", s("CL#" + i), "owner", s("bench")))),
                () -> dynamo.updateItem(b -> b.tableName(table).key(Map.of("PK", s(pk), "SK", s("RL#" + i / 100)))
                        .updateExpression("ADD #c :one").expressionAttributeNames(Map.of("#c", "count"))
                        .expressionAttributeValues(Map.of(":one", n(1)))),
                () -> dynamo.getItem(b -> b.tableName(table).consistentRead(true).key(Map.of("PK", s(pk), "SK", s("META")))),
                () -> dynamo.batchGetItem(b -> b.requestItems(Map.of(table, KeysAndAttributes.builder().keys(
                        Map.of("PK", s(pk), "SK", s("C#1")), Map.of("PK", s(pk), "SK", s("C#2"))).build()))));
        if (!atOnce) {
            calls.forEach(Runnable::run);
            return;
        }
        CompletableFuture.allOf(calls.stream().map(call -> CompletableFuture.runAsync(call, pool))
                .toArray(CompletableFuture[]::new)).join();
    }

    /** Posts the frame for {@code key} to the socket; it returns when the gateway has taken it, as a function's post. */
    void post(String connectionId, String key) {
        String frame = "{\"event\":\"bench-floor\",\"data\":{\"key\":\"" + key + "\",\"pad\":\"" + PAD + "\"}}";
        management.postToConnection(b -> b.connectionId(connectionId).data(SdkBytes.fromUtf8String(frame)));
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
