package dev.sendsar.dynamo;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/** Creates the table as the CDK stack defines it, for emulators and tests. */
public final class TableDefinition {
    /** The change stream is the outbox of server events (docs/decisions.md): every committed write is a record. */
    private static final StreamSpecification STREAM = StreamSpecification.builder()
            .streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES).build();

    private TableDefinition() {
    }

    /**
     * Creates the table with its indexes, TTL and change stream unless it exists already (a table made before the
     * stream existed gets it); returns the stream's ARN.
     */
    public static String ensure(DynamoDbClient dynamo, String table) {
        try {
            dynamo.createTable(b -> b.tableName(table)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .streamSpecification(STREAM)
                    .attributeDefinitions(attr(TableKeys.PK), attr(TableKeys.SK), attr(TableKeys.GSI1_PK),
                            attr(TableKeys.GSI1_SK))
                    .keySchema(hash(TableKeys.PK), range(TableKeys.SK))
                    .globalSecondaryIndexes(index(TableKeys.GSI1, TableKeys.GSI1_PK, TableKeys.GSI1_SK)));
            dynamo.updateTimeToLive(b -> b.tableName(table)
                    .timeToLiveSpecification(t -> t.enabled(true).attributeName(TableKeys.TTL)));
        } catch (ResourceInUseException exists) {
            // created on an earlier start
        }
        TableDescription description = dynamo.describeTable(b -> b.tableName(table)).table();
        if (description.streamSpecification() == null || !Boolean.TRUE.equals(description.streamSpecification().streamEnabled())) {
            return dynamo.updateTable(b -> b.tableName(table).streamSpecification(STREAM)).tableDescription().latestStreamArn();
        }
        return description.latestStreamArn();
    }

    private static GlobalSecondaryIndex index(String name, String pk, String sk) {
        return GlobalSecondaryIndex.builder().indexName(name).keySchema(hash(pk), range(sk))
                // as the CDK stack's DataTable defines it (each module's test pins it to INCLUDE and GSI1_INCLUDES)
                .projection(Projection.builder().projectionType(ProjectionType.INCLUDE)
                        .nonKeyAttributes(TableKeys.GSI1_INCLUDES).build()).build();
    }

    private static AttributeDefinition attr(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    private static KeySchemaElement hash(String name) {
        return KeySchemaElement.builder().attributeName(name).keyType(KeyType.HASH).build();
    }

    private static KeySchemaElement range(String name) {
        return KeySchemaElement.builder().attributeName(name).keyType(KeyType.RANGE).build();
    }
}
