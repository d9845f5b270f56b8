package dev.sendsar.push;

import dev.sendsar.config.SendsarConfig;
import dev.sendsar.dynamo.TableKeys;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Delivery marks are small items under the room, expiring (TTL) after the queue could still hold a retry: the
 * queue keeps messages 4 days.
 */
@Singleton
public class DynamoPushDeliveries implements PushDeliveries {
    static final Duration KEPT = Duration.ofDays(5);

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoPushDeliveries(DynamoDbClient dynamo, SendsarConfig config) {
        this.dynamo = dynamo;
        this.table = config.getTable();
    }

    @Override
    public boolean delivered(String tenantId, String roomId, String messageId, String tokenId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                .key(key(tenantId, roomId, messageId, tokenId))).item();
        return item != null && !item.isEmpty();
    }

    @Override
    public void markDelivered(String tenantId, String roomId, String messageId, String tokenId) {
        Map<String, AttributeValue> item = new java.util.HashMap<>(key(tenantId, roomId, messageId, tokenId));
        item.put(TableKeys.TTL, AttributeValue.fromN(Long.toString(Instant.now().plus(KEPT).getEpochSecond())));
        dynamo.putItem(b -> b.tableName(table).item(item));
    }

    private static Map<String, AttributeValue> key(String tenantId, String roomId, String messageId, String tokenId) {
        return Map.of(TableKeys.PK, AttributeValue.fromS(TableKeys.room(tenantId, roomId)),
                TableKeys.SK, AttributeValue.fromS(TableKeys.pushDelivery(messageId, tokenId)));
    }
}
