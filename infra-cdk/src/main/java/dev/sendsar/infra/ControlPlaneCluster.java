package dev.sendsar.infra;

import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.dsql.CfnCluster;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.constructs.Construct;

import java.util.List;
import java.util.Map;

/**
 * The control-plane database: a single-region Aurora DSQL cluster. Serverless and IAM-authenticated over a public
 * endpoint, so functions reach it without a VPC. A function connects with a short-lived IAM token for one database
 * role: {@code admin} for the operator routes, {@code sendsar_settings} for the settings PATCH and {@code sendsar} for
 * the rest (both created once, see docs/deploy.md).
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

    /**
     * TLS with certificate and host name checks against the JVM's trust store (DSQL serves an Amazon Trust Services
     * certificate). Connector 1.0.0 leaves SSL to PgJDBC's default, {@code prefer}, which does not verify the server.
     */
    static final String TLS_PARAMETERS = "sslmode=verify-full&sslfactory=org.postgresql.ssl.DefaultJavaSSLFactory";

    /**
     * The environment a function needs to reach the cluster as {@code access}'s database role. The Aurora DSQL JDBC
     * connector (functions module) owns {@code jdbc:aws-dsql:postgresql://} URLs: it takes the region from the
     * endpoint's host name ({@code <id>.dsql.<region>.on.aws}), signs a 15-minute token with the function's role for
     * each new connection, {@code DbConnectAdmin} when the user is {@code admin} and {@code DbConnect} otherwise, and
     * passes it to PgJDBC as the password. No password is configured.
     */
    public Map<String, String> environmentFor(RouteAccess.ControlPlane access) {
        return Map.of("SENDSAR_DB_URL", "jdbc:aws-dsql:postgresql://" + endpoint() + ":5432/postgres?" + TLS_PARAMETERS,
                "SENDSAR_DB_USER", access.databaseRole());
    }

    /** The statement that lets a function log in as {@code access}'s database role; empty for none. */
    public java.util.Optional<PolicyStatement> connectStatement(RouteAccess.ControlPlane access) {
        if (access == RouteAccess.ControlPlane.NONE) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(PolicyStatement.Builder.create()
                .actions(List.of(access.iamAction()))
                .resources(List.of(arn()))
                .build());
    }
}
