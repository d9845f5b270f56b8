package dev.sendsar.dynamo;

import dev.sendsar.domain.Retries;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * BatchGetItem over any number of keys: chunks of 100, unprocessed keys (throttling) retried with a pause, at most
 * {@link #MAX_ATTEMPTS} times per chunk, then 503 {@code storage_busy}.
 */
final class BatchReads {
    private static final int MAX_KEYS = 100;
    static final int MAX_ATTEMPTS = 10;

    private BatchReads() {
    }

    static List<Map<String, AttributeValue>> getAll(DynamoDbClient dynamo, String table, List<Map<String, AttributeValue>> keys) {
        return getAll(dynamo, table, keys, false);
    }

    /** {@code consistent}: for reads right after a write the caller made (an upload just completed or shared). */
    static List<Map<String, AttributeValue>> getAll(DynamoDbClient dynamo, String table, List<Map<String, AttributeValue>> keys,
                                                    boolean consistent) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        List<Map<String, AttributeValue>> distinct = keys.stream().distinct().toList();
        for (int from = 0; from < distinct.size(); from += MAX_KEYS) {
            Map<String, KeysAndAttributes> request = Map.of(table,
                    KeysAndAttributes.builder().consistentRead(consistent)
                            .keys(distinct.subList(from, Math.min(distinct.size(), from + MAX_KEYS))).build());
            for (int attempt = 1; !request.isEmpty(); attempt++) {
                if (attempt > MAX_ATTEMPTS) {
                    throw Retries.busy("storage_busy", "Storage is throttling reads right now; retry");
                }
                if (attempt > 1) {
                    Retries.pause(attempt);
                }
                var response = dynamo.batchGetItem(BatchGetItemRequest.builder().requestItems(request).build());
                items.addAll(response.responses().getOrDefault(table, List.of()));
                request = response.unprocessedKeys();
            }
        }
        return items;
    }
}
