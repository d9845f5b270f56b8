package dev.sendsar.infra;

import dev.sendsar.dynamo.TableKeys;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.GlobalSecondaryIndexProps;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.ProjectionType;
import software.amazon.awscdk.services.dynamodb.StreamViewType;
import software.amazon.awscdk.services.dynamodb.Table;
import software.constructs.Construct;

/**
 * The data-plane table, keyed exactly as {@code TableDefinition} creates it for the emulators: on-demand, the TTL
 * attribute, the change stream (new and old images), point-in-time recovery, and GSI1 (a user's memberships, a
 * tenant's connections) with the attributes {@link TableKeys#GSI1_INCLUDES}.
 */
public class DataTable extends Construct {
    private final Table table;

    public DataTable(Construct scope, String id, boolean retainData) {
        super(scope, id);
        this.table = Table.Builder.create(this, "Table")
                .partitionKey(string(TableKeys.PK))
                .sortKey(string(TableKeys.SK))
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .timeToLiveAttribute(TableKeys.TTL)
                // The outbox of server events: every committed write is a stream record (docs/decisions.md).
                .stream(StreamViewType.NEW_AND_OLD_IMAGES)
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder().pointInTimeRecoveryEnabled(true).build())
                .deletionProtection(retainData)
                .removalPolicy(retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY)
                .build();
        table.addGlobalSecondaryIndex(index(TableKeys.GSI1, TableKeys.GSI1_PK, TableKeys.GSI1_SK));
    }

    public Table table() {
        return table;
    }

    /** The ARN IAM needs for queries on one index; item actions on the table do not cover it. */
    public String indexArn(String indexName) {
        return table.getTableArn() + "/index/" + indexName;
    }

    private static GlobalSecondaryIndexProps index(String name, String pk, String sk) {
        // a GSI's projection cannot change in place: see docs/deploy.md before changing it on a deployed stack
        return GlobalSecondaryIndexProps.builder().indexName(name).partitionKey(string(pk)).sortKey(string(sk))
                .projectionType(ProjectionType.INCLUDE).nonKeyAttributes(TableKeys.GSI1_INCLUDES).build();
    }

    private static Attribute string(String name) {
        return Attribute.builder().name(name).type(AttributeType.STRING).build();
    }
}
