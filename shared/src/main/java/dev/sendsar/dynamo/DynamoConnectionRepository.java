package dev.sendsar.dynamo;

import dev.sendsar.config.SendsarConfig;
import dev.sendsar.domain.Connection;
import dev.sendsar.ports.ConnectionRepository;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.sendsar.dynamo.Attrs.n;
import static dev.sendsar.dynamo.Attrs.num;
import static dev.sendsar.dynamo.Attrs.s;
import static dev.sendsar.dynamo.Attrs.str;

@Singleton
public class DynamoConnectionRepository implements ConnectionRepository {
    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoConnectionRepository(DynamoDbClient dynamo, SendsarConfig config) {
        this.dynamo = dynamo;
        this.table = config.getTable();
    }

    @Override
    public void save(Connection c) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(TableKeys.PK, s(TableKeys.connection(c.connectionId())));
        item.put(TableKeys.SK, s(TableKeys.CONN));
        item.put(TableKeys.GSI2_PK, s(TableKeys.user(c.tenantId(), c.userId())));
        item.put(TableKeys.GSI2_SK, s(TableKeys.connection(c.connectionId())));
        item.put(TableKeys.GSI1_PK, s(TableKeys.online(c.tenantId())));
        item.put(TableKeys.GSI1_SK, s(c.userId() + "#" + c.connectionId()));
        item.put("connectionId", s(c.connectionId()));
        item.put("tenantId", s(c.tenantId()));
        item.put("userId", s(c.userId()));
        item.put("roomId", s(c.roomId()));
        item.put("connectedAt", s(c.connectedAt()));
        item.put(TableKeys.TTL, n(c.expiresAtEpochSeconds()));
        dynamo.putItem(b -> b.tableName(table).item(item));
    }

    @Override
    public Optional<Connection> find(String connectionId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).consistentRead(true).key(key(connectionId))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(toConnection(item)).filter(DynamoConnectionRepository::alive);
    }

    @Override
    public void delete(String connectionId) {
        dynamo.deleteItem(b -> b.tableName(table).key(key(connectionId)));
    }

    @Override
    public void joinRoom(String connectionId, String roomId) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(connectionId))
                    .updateExpression("SET roomId = :r")
                    .conditionExpression("attribute_exists(PK)")
                    .expressionAttributeValues(Map.of(":r", s(roomId))));
        } catch (ConditionalCheckFailedException gone) {
            // the socket closed meanwhile; there is nothing to join
        }
    }

    @Override
    public List<Connection> ofUser(String tenantId, String userId) {
        return dynamo.query(b -> b.tableName(table).indexName(TableKeys.GSI2)
                        .keyConditionExpression("GSI2PK = :pk")
                        .expressionAttributeValues(Map.of(":pk", s(TableKeys.user(tenantId, userId)))))
                .items().stream().map(DynamoConnectionRepository::toConnection)
                .filter(DynamoConnectionRepository::alive).toList();
    }

    @Override
    public List<Connection> ofTenant(String tenantId, int limit) {
        List<Connection> found = new java.util.ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            int wanted = limit - found.size();
            var page = dynamo.query(b -> b.tableName(table).indexName(TableKeys.GSI1)
                    .keyConditionExpression("GSI1PK = :pk")
                    .expressionAttributeValues(Map.of(":pk", s(TableKeys.online(tenantId))))
                    .limit(wanted)
                    .exclusiveStartKey(from));
            page.items().stream().map(DynamoConnectionRepository::toConnection).filter(DynamoConnectionRepository::alive)
                    .limit(wanted).forEach(found::add);
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null && found.size() < limit);
        return found;
    }

    @Override
    public boolean markAnnounced(String connectionId) {
        return conditionalUpdate(connectionId, "SET announced = :t", "attribute_exists(PK) AND attribute_not_exists(announced)",
                Map.of(":t", AttributeValue.fromBool(true)));
    }

    @Override
    public void startTyping(String connectionId, String roomId) {
        conditionalUpdate(connectionId, "SET typingIn = :r", "attribute_exists(PK)", Map.of(":r", s(roomId)));
    }

    @Override
    public boolean stopTyping(String connectionId, String roomId) {
        return conditionalUpdate(connectionId, "REMOVE typingIn", "typingIn = :r", Map.of(":r", s(roomId)));
    }

    /** Applies the update if the condition holds; {@code false} when it did not (or the connection is gone). */
    private boolean conditionalUpdate(String connectionId, String update, String condition, Map<String, AttributeValue> values) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(connectionId)).updateExpression(update)
                    .conditionExpression(condition).expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException notNow) {
            return false;
        }
    }

    @Override
    public void touch(String connectionId, long expiresAtEpochSeconds) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(connectionId))
                    .updateExpression("SET #ttl = :ttl")
                    .conditionExpression("attribute_exists(PK)")
                    .expressionAttributeNames(Map.of("#ttl", TableKeys.TTL))
                    .expressionAttributeValues(Map.of(":ttl", n(expiresAtEpochSeconds))));
        } catch (ConditionalCheckFailedException gone) {
            // closed meanwhile
        }
    }

    private static boolean alive(Connection c) {
        return c.expiresAtEpochSeconds() > Instant.now().getEpochSecond();
    }

    private static Map<String, AttributeValue> key(String connectionId) {
        return Map.of(TableKeys.PK, s(TableKeys.connection(connectionId)), TableKeys.SK, s(TableKeys.CONN));
    }

    private static Connection toConnection(Map<String, AttributeValue> item) {
        return new Connection(str(item, "connectionId"), str(item, "tenantId"), str(item, "userId"), str(item, "roomId"),
                str(item, "connectedAt"), num(item, TableKeys.TTL));
    }
}
