package dev.sendsar.local;

import dev.sendsar.config.SendsarConfig;
import dev.sendsar.dynamo.TableKeys;
import dev.sendsar.webhooks.WebhookQueue;
import io.micronaut.context.ApplicationContext;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.util.Map;

/**
 * ElasticMQ keeps its queues in memory, so a stack that was killed loses the webhook tasks it had queued (on AWS, SQS
 * is durable and this is not needed). On start, the local runtime queues again every delivery the log still shows
 * {@code pending}, at its next attempt time: together with the stream poller's saved positions, nothing committed
 * before a kill is lost. A repeat is possible and harmless (receivers dedupe by {@code X-Webhook-Id}).
 */
final class PendingDeliveries {
    private PendingDeliveries() {
    }

    /** Re-queues the pending deliveries of every tenant; returns how many. A local-only scan of the emulator. */
    static int requeue(ApplicationContext context) {
        DynamoDbClient dynamo = context.getBean(DynamoDbClient.class);
        WebhookQueue queue = context.getBean(WebhookQueue.class);
        String table = context.getBean(SendsarConfig.class).getTable();
        int count = 0;
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            var page = dynamo.scan(b -> b.tableName(table).exclusiveStartKey(from)
                    .filterExpression("begins_with(PK, :t) AND contains(PK, :log) AND #status = :pending")
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(Map.of(":t", AttributeValue.fromS("T#"), ":log", AttributeValue.fromS("#WHD"),
                            ":pending", AttributeValue.fromS("pending"))));
            for (Map<String, AttributeValue> item : page.items()) {
                String pk = item.get(TableKeys.PK).s();
                String tenantId = pk.substring(2, pk.length() - "#WHD".length());
                int attempts = Integer.parseInt(item.get("attempts").n());
                AttributeValue next = item.get("nextAttemptAt");
                long notBefore = next == null || next.s() == null ? 0 : Instant.parse(next.s()).getEpochSecond();
                queue.send(new WebhookQueue.Task(tenantId, item.get(TableKeys.SK).s(), attempts + 1, attempts, notBefore));
                count++;
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return count;
    }
}
