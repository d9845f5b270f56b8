package dev.sendsar.dynamo;

import dev.sendsar.config.SendsarConfig;
import dev.sendsar.domain.RateLimitedAction;
import dev.sendsar.ports.RateLimiter;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

import java.time.Instant;
import java.util.Map;

import static dev.sendsar.dynamo.Attrs.n;
import static dev.sendsar.dynamo.Attrs.s;

/**
 * One counter item per user, action and minute: {@code ADD count :n} on condition the count stays within the limit,
 * so concurrent functions never let more than {@code limit} through, and a refused use does not count. A reservation
 * of several uses that no longer fits takes what is left (the refusal returns the count it saw). Items expire by TTL
 * a minute after their window.
 */
@Singleton
public class DynamoRateLimiter implements RateLimiter {
    /** Tries of a reservation that keeps losing the rest of the window to other writers (then: nothing granted). */
    private static final int MAX_TRIES = 3;

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoRateLimiter(DynamoDbClient dynamo, SendsarConfig config) {
        this.dynamo = dynamo;
        this.table = config.getTable();
    }

    @Override
    public int reserve(String tenantId, String userId, RateLimitedAction action, int limit, int wanted, Instant now) {
        long window = RateLimiter.windowStart(now);
        Map<String, AttributeValue> key = Map.of(TableKeys.PK, s(TableKeys.user(tenantId, userId)),
                TableKeys.SK, s(TableKeys.rateLimit(action.key(), window)));
        int asked = Math.min(wanted, limit);
        for (int attempt = 0; attempt < MAX_TRIES && asked > 0; attempt++) {
            int n = asked;
            try {
                dynamo.updateItem(b -> b.tableName(table).key(key)
                        .updateExpression("ADD #count :n SET #ttl = :ttl")
                        .conditionExpression("attribute_not_exists(#count) OR #count <= :most")
                        .expressionAttributeNames(Map.of("#count", "count", "#ttl", TableKeys.TTL))
                        .expressionAttributeValues(Map.of(":n", n(n), ":most", n(limit - n),
                                ":ttl", n(window + 2 * WINDOW_SECONDS)))
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
                return n;
            } catch (ConditionalCheckFailedException full) {
                Map<String, AttributeValue> seen = full.hasItem() ? full.item() : Map.of();
                long used = seen.containsKey("count") ? Long.parseLong(seen.get("count").n()) : limit;
                asked = (int) Math.min(n, limit - used);
            }
        }
        return 0;
    }
}
