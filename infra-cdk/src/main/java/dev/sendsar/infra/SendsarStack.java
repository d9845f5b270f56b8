package dev.sendsar.infra;

import dev.sendsar.routes.LambdaJvm;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.constructs.Construct;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Sendsar on AWS: the data table, uploads bucket, control-plane cluster, secrets and queues, then the WebSocket and
 * HTTP APIs with one function per route of the route table, the functions in nested stacks of
 * {@value RouteStack#ROUTES_PER_STACK} routes each (see {@link RouteStack}). No VPC: every service is reached over its
 * IAM-authenticated public endpoint.
 */
public class SendsarStack extends Stack {
    private final DataTable table;
    private final WorkQueues queues;
    private final HttpApiRoutes http;
    private final WebSocketRoutes webSocket;
    private final WorkerFunctions workers;
    private final RouteSet routes;

    public SendsarStack(Construct scope, String id, StackProps props, DeploymentSettings settings) {
        this(scope, id, props, settings, checked(RouteSet.table()));
    }

    /** With other routes than the route table's: only tests do this, to size a larger stack. */
    SendsarStack(Construct scope, String id, StackProps props, DeploymentSettings settings, RouteSet routes) {
        super(scope, id, props);
        this.routes = routes;

        AlarmTopic alarms = new AlarmTopic(this, "Alarms", settings.alarmEmail());
        this.table = new DataTable(this, "Data", settings.retainData());
        UploadsBucket uploads = new UploadsBucket(this, "Uploads", settings.corsOrigins(), settings.retainData());
        ControlPlaneCluster controlPlane = new ControlPlaneCluster(this, "ControlPlane", settings.retainData());
        PlatformSecrets secrets = new PlatformSecrets(this, "Secrets", settings.retainData());
        this.queues = new WorkQueues(this, "Queues", alarms);
        this.webSocket = new WebSocketRoutes(this, "WebSocket", settings, alarms);

        Map<String, String> environment = Map.of(
                "SENDSAR_TABLE", table.table().getTableName(),
                "SENDSAR_REGION", Aws.REGION,
                "SENDSAR_WS_URL", webSocket.url(),
                "SENDSAR_WS_CALLBACK_URL", webSocket.callbackUrl(),
                // Public keys only: a function's configuration must not let its reader mint tokens (see mint-token).
                "SENDSAR_JWT_PUBLIC_KEYS", secrets.jwtPublicKeys(),
                // C1 only and the serial collector (see LambdaJvm); the cold-start bench launches its probes with the same.
                "JAVA_TOOL_OPTIONS", LambdaJvm.JAVA_TOOL_OPTIONS);
        Platform platform = new Platform(LambdaCode.resolve(this, settings), settings, table, uploads, controlPlane, secrets,
                webSocket.stage(), queues, alarms, environment);
        this.http = new HttpApiRoutes(this, "Http", platform, routes);
        webSocket.addRoutes(platform, routes);
        this.workers = new WorkerFunctions(this, "Workers", platform, routes);

        output("HttpApiUrl", http.url() + "v1", "REST base URL (SENDSAR_API_URL)");
        output("WebSocketUrl", webSocket.url(), "WebSocket URL (SENDSAR_WS_URL)");
        output("TableName", table.table().getTableName(), "DynamoDB data-plane table");
        output("UploadsBucketName", uploads.bucket().getBucketName(), "Private uploads bucket");
        output("ControlPlaneEndpoint", controlPlane.endpoint(), "Aurora DSQL endpoint");
        output("OperatorKeySecretArn", secrets.operatorKey().getSecretArn(), "Secret holding the x-admin-key");
        output("JwtKeysSecretArn", secrets.jwtKeys().getSecretArn(), "Secret holding the session-token signing keys");
        output("AlarmTopicArn", alarms.topic().getTopicArn(), "SNS topic every alarm notifies");
        output("ControlPlaneAppRoleArns", Fn.join(",", roleArns(RouteAccess.ControlPlane.APP)),
                "IAM roles to map to the 'sendsar' DSQL role (AWS IAM GRANT), see docs/deploy.md");
        output("ControlPlaneSettingsRoleArns", Fn.join(",", roleArns(RouteAccess.ControlPlane.SETTINGS)),
                "IAM roles to map to the 'sendsar_settings' DSQL role (AWS IAM GRANT), see docs/deploy.md");
        if (http.domainTarget() != null) {
            output("HttpApiDomainTarget", http.domainTarget(), "Point the API domain's DNS here");
            output("WebSocketDomainTarget", webSocket.domainTarget(), "Point the WebSocket domain's DNS here");
        }
    }

    public Map<String, RouteFunction> httpFunctions() {
        return http.functions();
    }

    public Map<String, RouteFunction> webSocketFunctions() {
        return webSocket.functions();
    }

    public Map<String, RouteFunction> workerFunctions() {
        return workers.functions();
    }

    /** Every function by name: routes of both APIs and workers. */
    public Map<String, RouteFunction> functions() {
        Map<String, RouteFunction> all = new java.util.LinkedHashMap<>(http.functions());
        all.putAll(webSocket.functions());
        all.putAll(workers.functions());
        return all;
    }

    /** Every nested stack of functions: the HTTP API's, the WebSocket API's, then the workers'. */
    public List<RouteStack> routeStacks() {
        return Stream.of(http.stacks(), webSocket.stacks(), workers.stacks()).flatMap(List::stream).toList();
    }

    public WorkQueues queues() {
        return queues;
    }

    public DataTable table() {
        return table;
    }

    /** The roles of the functions that connect to the control plane as {@code access}'s database role. */
    private List<String> roleArns(RouteAccess.ControlPlane access) {
        return functions().entrySet().stream()
                .filter(e -> routes.access().apply(e.getKey()).controlPlane() == access)
                .sorted(Map.Entry.comparingByKey())
                .map(e -> e.getValue().function().getRole().getRoleArn())
                .toList();
    }

    private static RouteSet checked(RouteSet table) {
        RouteAccessTable.checkMatches(RouteAccessTable.routeNames());
        return table;
    }

    private void output(String id, String value, String description) {
        CfnOutput.Builder.create(this, id).value(value).description(description).build();
    }
}
