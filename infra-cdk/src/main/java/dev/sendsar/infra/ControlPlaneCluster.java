package dev.sendsar.infra;

import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.dsql.CfnCluster;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.constructs.Construct;

import java.util.List;
import java.util.Map;

/**
 * The control-plane database: a single-region Aurora DSQL cluster. Serverless and IAM-authenticated over a public
 * endpoint, so functions reach it without a VPC. A function connects with a short-lived IAM token for one database
 * role: {@code admin} for the operator routes, {@code sendsar} (created once, see docs/deploy.md) for the rest.
 */
public class ControlPlaneCluster extends Construct {
    private final CfnCluster cluster;

    public ControlPlaneCluster(Construct scope, String id, boolean retainData) {
        super(scope, id);
        this.cluster = CfnCluster.Builder.create(this, "Cluster")
                .deletionProtectionEnabled(retainData)
                .build();
        cluster.applyRemovalPolicy(retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY);
    }

    public String endpoint() {
        return cluster.getAttrEndpoint();
    }

    public String arn() {
        return cluster.getAttrResourceArn();
    }

    /** The environment a function needs to reach the cluster as {@code access}'s database role. */
    public Map<String, String> environmentFor(RouteAccess.ControlPlane access) {
        // The DSQL JDBC connector turns this URL into IAM-token logins; the PostgreSQL driver alone cannot.
        return Map.of("SENDSAR_DB_URL", "jdbc:aws-dsql:postgresql://" + endpoint() + "/postgres",
                "SENDSAR_DB_USER", access.databaseRole());
    }

    public void grantConnect(IGrantable grantee, RouteAccess.ControlPlane access) {
        if (access == RouteAccess.ControlPlane.NONE) {
            return;
        }
        grantee.getGrantPrincipal().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .actions(List.of(access.iamAction()))
                .resources(List.of(arn()))
                .build());
    }
}
