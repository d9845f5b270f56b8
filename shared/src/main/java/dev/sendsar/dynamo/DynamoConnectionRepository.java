package dev.sendsar.dynamo;

import dev.sendsar.config.SendsarConfig;
import dev.sendsar.domain.Connection;
import dev.sendsar.domain.Ids;
import dev.sendsar.ports.ConnectionRepository;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

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
     * Stores the connection and enters it in its user's connection set ({@code CONNS} under the user: a map of
     * connection id to connect time), which is all a delivery needs, so a fan-out finds the sockets of 100 users in
     * one batch read. The set lives 3 hours past the user's latest connect, longer than any connection may, so entries
     * of sockets whose disconnect was missed go with it; entries older than a connection may live are dropped on the
     * next connect, and younger ones when a post to them answers 410.
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
        // the set first, the item second (and on delete the other way round): whenever the item exists, its entry is
        // in the set, so a lookup never misses an open connection
        Map<String, AttributeValue> set = enter(c);
        dynamo.putItem(b -> b.tableName(table).item(item));
        dropOutlived(c.tenantId(), c.userId(), set);
    }

    /** How long a user's connection set outlives the user's latest connect: more than a connection's 2-hour cap. */
    static final java.time.Duration SET_LIFETIME = java.time.Duration.ofHours(3);
    /** The set's map: connection id to the connection's {@code connectedAt}. */
    private static final String SOCKETS = "sockets";

    /** Adds the connection to its user's set (creating the set on a first connect); returns the set as it now is. */
    private Map<String, AttributeValue> enter(Connection c) {
        Map<String, AttributeValue> key = setKey(c.tenantId(), c.userId());
        AttributeValue ttl = n(Instant.parse(c.connectedAt()).plus(SET_LIFETIME).getEpochSecond());
        for (int attempt = 0; ; attempt++) {
            try {
                return dynamo.updateItem(b -> b.tableName(table).key(key)
                        .updateExpression("SET #sockets.#id = :at, #ttl = :ttl, userId = :user")
                        .conditionExpression("attribute_exists(#sockets)")
                        .expressionAttributeNames(Map.of("#sockets", SOCKETS, "#id", c.connectionId(), "#ttl", TableKeys.TTL))
                        .expressionAttributeValues(Map.of(":at", s(c.connectedAt()), ":ttl", ttl, ":user", s(c.userId())))
                        .returnValues(software.amazon.awssdk.services.dynamodb.model.ReturnValue.ALL_NEW)).attributes();
            } catch (ConditionalCheckFailedException noSet) {
                try {
                    // a nested SET needs the map to exist: create it with this entry, unless a concurrent connect did
                    dynamo.updateItem(b -> b.tableName(table).key(key)
                            .updateExpression("SET #sockets = :entry, #ttl = :ttl, userId = :user")
                            .conditionExpression("attribute_not_exists(#sockets)")
                            .expressionAttributeNames(Map.of("#sockets", SOCKETS, "#ttl", TableKeys.TTL))
                            .expressionAttributeValues(Map.of(":entry", AttributeValue.fromM(Map.of(c.connectionId(), s(c.connectedAt()))),
                                    ":ttl", ttl, ":user", s(c.userId()))));
                    return Map.of();
                } catch (ConditionalCheckFailedException createdMeanwhile) {
                    if (attempt > 0) {
                        throw createdMeanwhile;
                    }
                }
            }
        }
    }

    /** Removes entries older than any connection may live (their sockets are closed, their disconnects were missed). */
    private void dropOutlived(String tenantId, String userId, Map<String, AttributeValue> set) {
        if (set == null || !set.containsKey(SOCKETS)) {
            return;
        }
        Instant oldest = Instant.now().minus(Connection.MAX_LIFETIME);
        List<String> outlived = set.get(SOCKETS).m().entrySet().stream()
                .filter(e -> Instant.parse(e.getValue().s()).isBefore(oldest)).map(Map.Entry::getKey).limit(20).toList();
        if (!outlived.isEmpty()) {
            removeEntries(tenantId, userId, outlived);
        }
    }

    private void removeEntries(String tenantId, String userId, List<String> connectionIds) {
        Map<String, String> names = new HashMap<>();
        names.put("#sockets", SOCKETS);
        List<String> paths = new java.util.ArrayList<>();
        for (int i = 0; i < connectionIds.size(); i++) {
            names.put("#c" + i, connectionIds.get(i));
            paths.add("#sockets.#c" + i);
        }
        dynamo.updateItem(b -> b.tableName(table).key(setKey(tenantId, userId))
                .updateExpression("REMOVE " + String.join(", ", paths))
                .conditionExpression("attribute_exists(#sockets)")
                .expressionAttributeNames(names));
    }

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
            leaveSet(str(gone, "tenantId"), str(gone, "userId"), connectionId);
        }
    }

    @Override
    public void forget(Connection c) {
        dynamo.deleteItem(b -> b.tableName(table).key(key(c.connectionId())));
        leaveSet(c.tenantId(), c.userId(), c.connectionId());
    }

    private void leaveSet(String tenantId, String userId, String connectionId) {
        try {
            removeEntries(tenantId, userId, List.of(connectionId));
        } catch (ConditionalCheckFailedException noSet) {
            // the set expired with all its entries
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

    /** One batch read per 100 users: their connection sets, whose entries are all a delivery needs. */
    @Override
    public List<Connection> reachable(String tenantId, Collection<String> userIds) {
        Instant oldest = Instant.now().minus(Connection.MAX_LIFETIME);
        List<Connection> found = new java.util.ArrayList<>();
        for (Map<String, AttributeValue> set : sets(tenantId, userIds)) {
            String userId = str(set, "userId");
            set.get(SOCKETS).m().forEach((connectionId, at) -> {
                Instant connectedAt = Instant.parse(at.s());
                if (!connectedAt.isBefore(oldest)) {
                    found.add(new Connection(connectionId, tenantId, userId, null, at.s(),
                            connectedAt.plus(Connection.MAX_LIFETIME).getEpochSecond()));
                }
            });
        }
        return found;
    }

    /** Two batch reads per 100 users, whatever their number: their connection sets, then those connections. */
    @Override
    public List<Connection> ofUsers(String tenantId, Collection<String> userIds) {
        List<Map<String, AttributeValue>> keys = sets(tenantId, userIds).stream()
                .flatMap(set -> set.get(SOCKETS).m().keySet().stream()).map(DynamoConnectionRepository::key).toList();
        return BatchReads.getAll(dynamo, table, keys).stream().map(DynamoConnectionRepository::toConnection)
                // skip what is gone, expired, or (never expected) not these users' own
                .filter(c -> tenantId.equals(c.tenantId()) && userIds.contains(c.userId()))
                .filter(DynamoConnectionRepository::alive).toList();
    }

    private List<Map<String, AttributeValue>> sets(String tenantId, Collection<String> userIds) {
        return BatchReads.getAll(dynamo, table, userIds.stream().map(u -> setKey(tenantId, u)).toList()).stream()
                .filter(set -> set.containsKey(SOCKETS) && userIds.contains(str(set, "userId"))).toList();
    }

    /**
     * From GSI1, which holds what presence needs of a connection ({@link TableKeys#GSI1_INCLUDES}) but not the joined
     * room (a join would then write the index too): the connections come without {@code roomId}.
     */
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
        return markedUpdate(connectionId, "announced", "SET announced = :mark",
                "attribute_exists(PK) AND attribute_not_exists(announced)", Map.of());
    }

    @Override
    public void startTyping(String connectionId, String roomId) {
        conditionalUpdate(connectionId, "SET typingIn = :r", "attribute_exists(PK)", Map.of(":r", s(roomId)));
    }

    @Override
    public boolean stopTyping(String connectionId, String roomId) {
        return markedUpdate(connectionId, "typingStop", "REMOVE typingIn SET typingStop = :mark", "typingIn = :r",
                Map.of(":r", s(roomId)));
    }

    /**
     * A conditional update that also sets {@code markAttribute} to {@code :mark}, an id of this call's own; {@code true}
     * when it applied. An SDK retry whose first attempt applied it (its answer lost) is refused by that very change,
     * and the refusal handing back this call's mark says the update was this call's after all.
     */
    private boolean markedUpdate(String connectionId, String markAttribute, String update, String condition,
                                 Map<String, AttributeValue> values) {
        String mark = Ids.uuid();
        Map<String, AttributeValue> withMark = new HashMap<>(values);
        withMark.put(":mark", s(mark));
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(connectionId)).updateExpression(update)
                    .conditionExpression(condition).expressionAttributeValues(withMark)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return true;
        } catch (ConditionalCheckFailedException notNow) {
            return notNow.hasItem() && mark.equals(str(notNow.item(), markAttribute));
        }
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
