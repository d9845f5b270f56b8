package dev.sendsar.dynamo;

import dev.sendsar.config.SendsarConfig;
import dev.sendsar.domain.Times;
import dev.sendsar.domain.User;
import dev.sendsar.json.Json;
import dev.sendsar.ports.UserRepository;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static dev.sendsar.dynamo.Attrs.s;
import static dev.sendsar.dynamo.Attrs.str;

@Singleton
public class DynamoUserRepository implements UserRepository {
    private final DynamoDbClient dynamo;
    private final String table;
    private final Json json;

    public DynamoUserRepository(DynamoDbClient dynamo, SendsarConfig config, Json json) {
        this.dynamo = dynamo;
        this.table = config.getTable();
        this.json = json;
    }

    @Override
    public Upserted upsert(String tenantId, String userId, UserFields fields) {
        String now = Times.now();
        Map<String, AttributeValue> values = new HashMap<>();
        StringBuilder set = new StringBuilder("SET id = :id, updatedAt = :now, createdAt = if_not_exists(createdAt, :now)");
        values.put(":id", s(userId));
        values.put(":now", s(now));
        Map<String, AttributeValue> given = new HashMap<>();
        if (fields.username() != null) given.put("username", s(fields.username()));
        if (fields.avatarUrl() != null) given.put("avatarUrl", s(fields.avatarUrl()));
        if (fields.metadata() != null) given.put("metadata", s(json.write(fields.metadata())));
        if (fields.appCode() != null) given.put("appCode", s(fields.appCode()));
        given.forEach((name, value) -> {
            set.append(", ").append(name).append(" = :").append(name);
            values.put(":" + name, value);
        });
        Map<String, AttributeValue> old = dynamo.updateItem(b -> b.tableName(table)
                .key(key(tenantId, userId))
                .updateExpression(set.toString())
                .expressionAttributeValues(values)
                .returnValues(ReturnValue.ALL_OLD)).attributes();
        boolean created = old == null || old.isEmpty();
        Map<String, AttributeValue> merged = new HashMap<>(created ? Map.of() : old);
        merged.putAll(given);
        merged.put("id", s(userId));
        merged.put("updatedAt", s(now));
        merged.putIfAbsent("createdAt", s(now));
        return new Upserted(toUser(merged), created);
    }

    @Override
    public Optional<User> find(String tenantId, String userId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(key(tenantId, userId))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(toUser(item));
    }

    @Override
    public Map<String, User> findAll(String tenantId, Collection<String> userIds) {
        Map<String, User> found = new HashMap<>();
        BatchReads.getAll(dynamo, table, userIds.stream().map(id -> key(tenantId, id)).toList())
                .forEach(item -> found.put(str(item, "id"), toUser(item)));
        return found;
    }

    private static Map<String, AttributeValue> key(String tenantId, String userId) {
        return Map.of(TableKeys.PK, s(TableKeys.user(tenantId, userId)), TableKeys.SK, s(TableKeys.PROFILE));
    }

    private User toUser(Map<String, AttributeValue> item) {
        return new User(str(item, "id"), str(item, "username"), str(item, "avatarUrl"),
                json.readMap(str(item, "metadata")), str(item, "appCode"), str(item, "createdAt"), str(item, "updatedAt"));
    }
}
