package dev.sendsar.dynamo;

import com.amazonaws.services.dynamodbv2.local.embedded.DynamoDBEmbedded;
import com.amazonaws.services.dynamodbv2.local.shared.access.AmazonDynamoDBLocal;
import dev.sendsar.fakes.TestConfig;
import dev.sendsar.json.Json;
import io.micronaut.json.JsonMapper;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** DynamoDB Local's engine in this JVM, with the table created as the stack defines it: one per test class. */
final class DynamoLocal implements AutoCloseable {
    final AmazonDynamoDBLocal engine = DynamoDBEmbedded.create(true);
    final DynamoDbClient client = engine.dynamoDbClient();
    final TestConfig config = new TestConfig("sendsar-test", null, null);
    final Json json = new Json(JsonMapper.createDefault());

    DynamoLocal() {
        TableDefinition.ensure(client, config.getTable());
    }

    @Override
    public void close() {
        engine.shutdownNow();
    }
}
