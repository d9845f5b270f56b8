package dev.sendsar.dynamo;

import dev.sendsar.config.SendsarConfig;
import dev.sendsar.domain.Connection;
import dev.sendsar.ports.ConnectionRepository;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.time.Instant;
import java.util.Collection;
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

    /**
     * Stores the connection and adds its id to its user's connection set ({@code CONNS} under the user), which
     * lets a fan-out find the connections of 100 users in one batch read. The set lives 3 hours past the user's
     * latest connect, longer than any connection may (2 hours), so ids of sockets whose disconnect was missed go
     * with it; until then reads skip them, as their connection items are expired or gone.
     */
    @Override
    public void save(Connection c) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(TableKeys.PK, s(TableKeys.connection(c.connectionId())));
        item.put(TableKeys.SK, s(TableKeys.CONN));
        item.put(TableKeys.GSI1_PK, s(TableKeys.online(c.tenantId())));
        item.put(TableKeys.GSI1_SK, s(c.userId() + "#" + c.connectionId()));
        item.put("connectionId", s(c.connectionId()));
        item.put("tenantId", s(c.tenantId()));
        item.put("userId", s(c.userId()));
        item.put("roomId", s(c.roomId()));
        item.put("connectedAt", s(c.connectedAt()));
        item.put(TableKeys.TTL, n(c.expiresAtEpochSeconds()));
        // the set first, the item second (and on delete the other way round): whenever the item exists, its id is in
        // the set, so a lookup never misses an open connection; an id without its item is skipped
        long setExpiry = Instant.parse(c.connectedAt()).plus(SET_LIFETIME).getEpochSecond();
        dynamo.updateItem(b -> b.tableName(table).key(setKey(c.tenantId(), c.userId()))
                .updateExpression("ADD ids :id SET #ttl = :ttl")
                .expressionAttributeNames(Map.of("#ttl", TableKeys.TTL))
                .expressionAttributeValues(Map.of(":id", AttributeValue.fromSs(List.of(c.connectionId())), ":ttl", n(setExpiry))));
        dynamo.putItem(b -> b.tableName(table).item(item));
    }

    /** How long a user's connection set outlives the user's latest connect: more than a connection's 2-hour cap. */
    static final java.time.Duration SET_LIFETIME = java.time.Duration.ofHours(3);

    private static Map<String, AttributeValue> setKey(String tenantId, String userId) {
        return Map.of(TableKeys.PK, s(TableKeys.user(tenantId, userId)), TableKeys.SK, s(TableKeys.CONNS));
    }

    @Override
    public Optional<Connection> find(String connectionId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).consistentRead(true).key(key(connectionId))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(toConnection(item)).filter(DynamoConnectionRepository::alive);
    }

    @Override
    public void delete(String connectionId) {
        Map<String, AttributeValue> gone = dynamo.deleteItem(b -> b.tableName(table).key(key(connectionId))
                .returnValues(software.amazon.awssdk.services.dynamodb.model.ReturnValue.ALL_OLD)).attributes();
        if (gone != null && gone.containsKey("tenantId") && gone.containsKey("userId")) {
            dynamo.updateItem(b -> b.tableName(table).key(setKey(str(gone, "tenantId"), str(gone, "userId")))
                    .updateExpression("DELETE ids :id")
                    .expressionAttributeValues(Map.of(":id", AttributeValue.fromSs(List.of(connectionId)))));
        }
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

    /** Two batch reads, whatever the number of users: their connection sets, then those connections. */
    @Override
    public List<Connection> ofUsers(String tenantId, Collection<String> userIds) {
        List<Map<String, AttributeValue>> ids = BatchReads.getAll(dynamo, table,
                userIds.stream().map(u -> setKey(tenantId, u)).toList());
        List<Map<String, AttributeValue>> keys = ids.stream().filter(i -> i.containsKey("ids"))
                .flatMap(i -> i.get("ids").ss().stream()).map(DynamoConnectionRepository::key).toList();
        return BatchReads.getAll(dynamo, table, keys).stream().map(DynamoConnectionRepository::toConnection)
                // skip what is gone, expired, or (never expected) not these users' own
                .filter(c -> tenantId.equals(c.tenantId()) && userIds.contains(c.userId()))
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
