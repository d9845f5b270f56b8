package dev.sendsar.dynamo;

import dev.sendsar.config.SendsarConfig;
import dev.sendsar.domain.RateLimitedAction;
import dev.sendsar.ports.RateLimiter;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.time.Instant;
import java.util.Map;

import static dev.sendsar.dynamo.Attrs.n;
import static dev.sendsar.dynamo.Attrs.s;

/**
 * One counter item per user, action and minute: {@code ADD count :1} on condition the count is still under the
 * limit, so concurrent functions never let more than {@code limit} through, and a refused use does not count.
 * Items expire by TTL a minute after their window.
 */
@Singleton
public class DynamoRateLimiter implements RateLimiter {
    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoRateLimiter(DynamoDbClient dynamo, SendsarConfig config) {
        this.dynamo = dynamo;
        this.table = config.getTable();
    }

    @Override
    public Decision acquire(String tenantId, String userId, RateLimitedAction action, int limit, Instant now) {
        long window = RateLimiter.windowStart(now);
        try {
            dynamo.updateItem(b -> b.tableName(table)
                    .key(Map.of(TableKeys.PK, s(TableKeys.user(tenantId, userId)),
                            TableKeys.SK, s(TableKeys.rateLimit(action.key(), window))))
                    .updateExpression("ADD #count :one SET #ttl = :ttl")
                    .conditionExpression("attribute_not_exists(#count) OR #count < :limit")
                    .expressionAttributeNames(Map.of("#count", "count", "#ttl", TableKeys.TTL))
                    .expressionAttributeValues(Map.of(":one", n(1), ":limit", n(limit),
                            ":ttl", n(window + 2 * WINDOW_SECONDS))));
            return Decision.ALLOWED;
        } catch (ConditionalCheckFailedException limited) {
            return new Decision(false, RateLimiter.secondsLeft(now));
        }
    }
}
