package dev.sendsar.webhooks;

import dev.sendsar.config.SendsarConfig;
import dev.sendsar.domain.Page;
import dev.sendsar.dynamo.Cursors;
import dev.sendsar.dynamo.TableKeys;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Webhook items in the data table: the configuration under {@code T#<tenant>#WEBHOOK}, the delivery log under
 * {@code T#<tenant>#WHD} sorted by event id (time-ordered, so newest first is a backwards query). Log entries carry
 * the TTL attribute: they expire after {@link #LOG_RETENTION}, and reads skip expired ones at once.
 */
@Singleton
public class DynamoWebhookStore implements WebhookStore {
    static final Duration LOG_RETENTION = Duration.ofDays(7);
    /** Filtered pages may come back short: at most this many reads make one answer. */
    private static final int MAX_READS_PER_PAGE = 10;

    private final DynamoDbClient dynamo;
    private final String table;
    private final SecretBox box;

    public DynamoWebhookStore(DynamoDbClient dynamo, SendsarConfig config, SecretBox box) {
        this.dynamo = dynamo;
        this.table = config.getTable();
        this.box = box;
    }

    @Override
    public Optional<WebhookConfig> config(String tenantId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(configKey(tenantId)).consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        String previous = str(item, "previousSecret");
        return Optional.of(new WebhookConfig(tenantId, str(item, "url"), enabled(item), events(item),
                box.open(str(item, "secret")), previous == null ? null : box.open(previous), str(item, "previousSecretUntil"),
                str(item, "createdAt"), str(item, "updatedAt")));
    }

    @Override
    public boolean wants(String tenantId, String eventType) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(configKey(tenantId)).consistentRead(true)
                .projectionExpression("#enabled, #events").expressionAttributeNames(Map.of("#enabled", "enabled", "#events", "events"))).item();
        return item != null && WebhookConfig.wants(enabled(item), events(item), eventType);
    }

    private static boolean enabled(Map<String, AttributeValue> item) {
        AttributeValue enabled = item.get("enabled");
        return enabled != null && Boolean.TRUE.equals(enabled.bool());
    }

    /** The event types sent; null for all. */
    private static List<String> events(Map<String, AttributeValue> item) {
        AttributeValue events = item.get("events");
        return events == null || !events.hasL() ? null : events.l().stream().map(AttributeValue::s).toList();
    }

    @Override
    public void saveConfig(WebhookConfig config) {
        Map<String, AttributeValue> item = new HashMap<>(configKey(config.tenantId()));
        item.put("url", s(config.url()));
        item.put("enabled", AttributeValue.fromBool(config.enabled()));
        if (config.events() != null) {
            item.put("events", AttributeValue.fromL(config.events().stream().map(AttributeValue::fromS).toList()));
        }
        item.put("secret", s(box.seal(config.secret())));
        if (config.previousSecret() != null) {
            item.put("previousSecret", s(box.seal(config.previousSecret())));
            item.put("previousSecretUntil", s(config.previousSecretUntil()));
        }
        item.put("createdAt", s(config.createdAt()));
        item.put("updatedAt", s(config.updatedAt()));
        dynamo.putItem(b -> b.tableName(table).item(item));
    }

    @Override
    public boolean createDelivery(String tenantId, Delivery delivery) {
        try {
            dynamo.putItem(b -> b.tableName(table).item(deliveryItem(tenantId, delivery))
                    .conditionExpression("attribute_not_exists(PK)"));
            return true;
        } catch (ConditionalCheckFailedException exists) {
            return false;
        }
    }

    @Override
    public Optional<Delivery> delivery(String tenantId, String eventId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(deliveryKey(tenantId, eventId))
                .consistentRead(true)).item();
        return item == null || item.isEmpty() || expired(item) ? Optional.empty() : Optional.of(toDelivery(item));
    }

    @Override
    public void updateDelivery(String tenantId, Delivery delivery) {
        dynamo.putItem(b -> b.tableName(table).item(deliveryItem(tenantId, delivery)));
    }

    @Override
    public Page<Delivery> deliveries(String tenantId, String status, String cursor, int limit) {
        List<Delivery> found = new ArrayList<>();
        Map<String, AttributeValue> start = cursor == null ? null
                : Map.of(TableKeys.PK, s(logPartition(tenantId)), TableKeys.SK, s(Cursors.decode(cursor)));
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":pk", s(logPartition(tenantId)));
        values.put(":now", AttributeValue.fromN(Long.toString(Instant.now().getEpochSecond())));
        Map<String, String> names = new HashMap<>(Map.of("#ttl", TableKeys.TTL));
        String filter = "#ttl > :now";
        if (status != null) {
            values.put(":status", s(status));
            names.put("#status", "status");
            filter += " AND #status = :status";
        }
        String filterExpression = filter;
        Map<String, AttributeValue> last = null;
        for (int reads = 0; reads < MAX_READS_PER_PAGE && found.size() < limit; reads++) {
            Map<String, AttributeValue> from = start;
            int want = limit - found.size();
            QueryResponse page = dynamo.query(b -> b.tableName(table)
                    .keyConditionExpression("PK = :pk")
                    .filterExpression(filterExpression)
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values)
                    .scanIndexForward(false)
                    .exclusiveStartKey(from)
                    .limit(Math.max(want, 25)));
            for (Map<String, AttributeValue> item : page.items()) {
                if (found.size() == limit) {
                    break;
                }
                found.add(toDelivery(item));
                last = item;
            }
            boolean more = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty();
            if (!more) {
                return new Page<>(found, null);
            }
            if (found.size() < limit) {
                start = page.lastEvaluatedKey();
                last = start;
            }
        }
        return new Page<>(found, last == null ? null : Cursors.encode(str(last, TableKeys.SK)));
    }

    private Map<String, AttributeValue> deliveryItem(String tenantId, Delivery d) {
        Map<String, AttributeValue> item = new HashMap<>(deliveryKey(tenantId, d.eventId()));
        item.put("type", s(d.type()));
        item.put("status", s(d.status()));
        item.put("attempts", AttributeValue.fromN(Integer.toString(d.attempts())));
        if (d.lastStatusCode() != null) {
            item.put("lastStatusCode", AttributeValue.fromN(d.lastStatusCode().toString()));
        }
        if (d.latencyMs() != null) {
            item.put("latencyMs", AttributeValue.fromN(d.latencyMs().toString()));
        }
        putIfSet(item, "lastError", d.lastError());
        putIfSet(item, "nextAttemptAt", d.nextAttemptAt());
        item.put("createdAt", s(d.createdAt()));
        item.put("updatedAt", s(d.updatedAt()));
        item.put("body", s(d.body()));
        item.put(TableKeys.TTL, AttributeValue.fromN(Long.toString(Instant.parse(d.createdAt()).plus(LOG_RETENTION).getEpochSecond())));
        return item;
    }

    private static Delivery toDelivery(Map<String, AttributeValue> item) {
        return new Delivery(str(item, TableKeys.SK), str(item, "type"), str(item, "status"),
                Integer.parseInt(item.get("attempts").n()),
                item.containsKey("lastStatusCode") ? Integer.valueOf(item.get("lastStatusCode").n()) : null,
                item.containsKey("latencyMs") ? Long.valueOf(item.get("latencyMs").n()) : null,
                str(item, "lastError"), str(item, "nextAttemptAt"), str(item, "createdAt"), str(item, "updatedAt"),
                str(item, "body"));
    }

    private static boolean expired(Map<String, AttributeValue> item) {
        AttributeValue ttl = item.get(TableKeys.TTL);
        return ttl != null && ttl.n() != null && Long.parseLong(ttl.n()) <= Instant.now().getEpochSecond();
    }

    private static Map<String, AttributeValue> configKey(String tenantId) {
        return Map.of(TableKeys.PK, s("T#" + tenantId + "#WEBHOOK"), TableKeys.SK, s("WEBHOOK"));
    }

    private static String logPartition(String tenantId) {
        return "T#" + tenantId + "#WHD";
    }

    private static Map<String, AttributeValue> deliveryKey(String tenantId, String eventId) {
        return Map.of(TableKeys.PK, s(logPartition(tenantId)), TableKeys.SK, s(eventId));
    }

    private static void putIfSet(Map<String, AttributeValue> item, String name, String value) {
        if (value != null) {
            item.put(name, s(value));
        }
    }

    private static AttributeValue s(String value) {
        return value == null ? AttributeValue.fromNul(true) : AttributeValue.fromS(value);
    }

    private static String str(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.s() == null ? null : v.s();
    }
}
