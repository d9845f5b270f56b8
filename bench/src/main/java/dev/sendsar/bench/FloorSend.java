package dev.sendsar.bench;

import dev.sendsar.config.SendsarConfig;
import dev.sendsar.local.LocalStack;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

import java.time.Instant;
import java.util.Map;

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

    /** Writes item {@code seq} (1, 2, … per {@code pk}, one writer per pk) and moves the pk's seq to it. */
    void transact(String pk, long seq, String key) {
        Map<String, AttributeValue> item = Map.of("PK", s(pk), "SK", s(String.format("S#%012d", seq)),
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
