package dev.sendsar.infra;

import dev.sendsar.routes.RouteTable;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.amazon.awscdk.services.iam.PolicyDocument;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.LoggingFormat;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.lambda.SystemLogLevel;
import software.amazon.awscdk.services.logs.LogGroup;
import software.constructs.Construct;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The function of one route: arm64, Java 21, SnapStart on published versions, invoked only through its
 * {@value #ALIAS} alias (SnapStart does not apply to $LATEST). Its IAM policy is exactly its {@link RouteAccess};
 * its logs expire; an alarm watches its throttles.
 */
public class RouteFunction extends Construct {
    public static final String ALIAS = "live";
    /** API Gateway stops waiting after 29-30 s; a longer function timeout would only bill for unanswered work. */
    static final Duration TIMEOUT = Duration.seconds(10);

    /**
     * @param routeName   the route's function name in RouteTable
     * @param description the route key, so the console says what the function serves
     * @param handler     the handler class in the functions module
     * @param timeout     the function timeout: {@link #TIMEOUT} for API routes, the worker's own for workers
     */
    public record Props(String routeName, String description, String handler, RouteAccess access, Duration timeout) {
        /** An API route's function, with the API route timeout. */
        public Props(String routeName, String description, String handler, RouteAccess access) {
            this(routeName, description, handler, access, TIMEOUT);
        }

        public Props {
            if (routeName == null || !routeName.matches("[a-z0-9-]+")) {
                throw new IllegalArgumentException("routeName must be lower-case words with dashes: " + routeName);
            }
            if (handler == null || handler.isBlank()) {
                throw new IllegalArgumentException(routeName + ": handler is required");
            }
        }
    }

    private final Function function;
    private final Alias alias;

    public RouteFunction(Construct scope, String id, Props props, Platform platform) {
        super(scope, id);
        DeploymentSettings settings = platform.settings();
        RouteAccess access = props.access();

        LogGroup logs = LogGroup.Builder.create(this, "Logs")
                .retention(settings.logRetention())
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        // The role carries its grants inline: one resource per function instead of a role plus a policy, because
        // CloudFormation allows 500 resources per stack (see RouteStack).
        List<PolicyStatement> statements = statements(access, platform);
        Role.Builder role = Role.Builder.create(this, "Role")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .description("Sendsar " + props.routeName() + ": exactly its RouteAccessTable entry")
                .managedPolicies(List.of(ManagedPolicy.fromAwsManagedPolicyName("service-role/AWSLambdaBasicExecutionRole")));
        if (!statements.isEmpty()) {
            role.inlinePolicies(Map.of("route-access", PolicyDocument.Builder.create().statements(statements).build()));
        }
        Function.Builder builder = Function.Builder.create(this, "Function")
                .role(role.build())
                .description("Sendsar " + props.description())
                .runtime(Runtime.JAVA_21)
                .architecture(Architecture.ARM_64)
                .handler(props.handler())
                .code(platform.code())
                .memorySize(settings.memoryOf(props.routeName()))
                .timeout(props.timeout())
                .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
                .logGroup(logs)
                // Lambda's own START, END and REPORT lines (INFO) are not written: ~300 bytes per invocation, as much
                // as the API's access line; durations are in the function's Duration metric. Errors and timeouts are.
                .loggingFormat(LoggingFormat.JSON)
                .systemLogLevelV2(SystemLogLevel.WARN)
                .environment(environment(props.routeName(), access, platform));
        settings.reservedConcurrencyOf(props.routeName()).ifPresent(builder::reservedConcurrentExecutions);
        this.function = builder.build();
        this.alias = Alias.Builder.create(this, "Alias").aliasName(ALIAS).version(function.getCurrentVersion()).build();
        Annotations.of(function).acknowledgeWarning("@aws-cdk/aws-lambda:snapStartRequirePublish",
                "Every deploy publishes a version and the APIs invoke it through the alias");

        platform.alarms().atLeast(this, "Throttles", props.routeName() + " is being throttled (reserved or account concurrency)",
                function.metricThrottles(MetricOptions.builder().period(AlarmTopic.period()).statistic("Sum").build()), 1);
    }

    public Function function() {
        return function;
    }

    /** What API Gateway invokes: the alias of the latest published (snapshotted) version. */
    public Alias alias() {
        return alias;
    }

    private static Map<String, String> environment(String routeName, RouteAccess access, Platform platform) {
        Map<String, String> env = new HashMap<>(platform.commonEnvironment());
        // the function builds only what its route uses (one package holds every route's code)
        env.put(RouteTable.ROUTE_VARIABLE, routeName);
        if (access.controlPlane() != RouteAccess.ControlPlane.NONE) {
            env.putAll(platform.controlPlane().environmentFor(access.controlPlane()));
        }
        if (access.usesUploads()) {
            env.put("SENDSAR_UPLOADS_BUCKET", platform.uploads().bucket().getBucketName());
        }
        if (access.operatorKey()) {
            env.put("SENDSAR_ADMIN_KEY", PlatformSecrets.deployTimeValue(platform.secrets().operatorKey()));
        }
        if (access.signingKey()) {
            // The secret's ARN, not its value: the function reads it from Secrets Manager on its first mint.
            env.put("SENDSAR_JWT_KEYS_SECRET", platform.secrets().jwtKeys().getSecretArn());
        }
        if (access.liveKit()) {
            env.putAll(platform.secrets().liveKitEnvironment());
        }
        for (String queue : access.sendsTo()) {
            env.put(WorkQueues.urlVariable(queue), platform.queues().queueOrItsDeadLetters(queue).getQueueUrl());
        }
        if (access.webhookSecrets()) {
            env.put("SENDSAR_WEBHOOKS_SECRET_KEY", PlatformSecrets.deployTimeValue(platform.secrets().webhookKey()));
        }
        return env;
    }

    /** The IAM statements of {@code access}, and nothing else. */
    private List<PolicyStatement> statements(RouteAccess access, Platform platform) {
        List<PolicyStatement> statements = new ArrayList<>();
        if (!access.table().isEmpty()) {
            // Item actions (and queries on the table's own keys) on the table only: not on its indexes.
            statements.add(PolicyStatement.Builder.create()
                    .actions(access.table().stream().map(RouteAccess.TableAction::iamAction).sorted().toList())
                    .resources(List.of(platform.table().table().getTableArn()))
                    .build());
        }
        if (!access.indexes().isEmpty()) {
            statements.add(PolicyStatement.Builder.create()
                    .actions(List.of(RouteAccess.TableAction.QUERY.iamAction()))
                    .resources(access.indexes().stream().map(platform.table()::indexArn).toList())
                    .build());
        }
        List<String> objectActions = access.uploads().stream().filter(a -> !a.onBucket())
                .map(RouteAccess.ObjectAction::iamAction).sorted().toList();
        if (!objectActions.isEmpty()) {
            statements.add(PolicyStatement.Builder.create()
                    .actions(objectActions)
                    .resources(List.of(platform.uploads().objectsArn()))
                    .build());
        }
        List<String> bucketActions = access.uploads().stream().filter(RouteAccess.ObjectAction::onBucket)
                .map(RouteAccess.ObjectAction::iamAction).sorted().toList();
        if (!bucketActions.isEmpty()) {
            statements.add(PolicyStatement.Builder.create()
                    .actions(bucketActions)
                    .resources(List.of(platform.uploads().bucket().getBucketArn()))
                    .build());
        }
        if (access.connections() || access.checksConnections()) {
            // On this API's stage: POST a frame and DELETE (close) a socket whose connection is forgotten (a refused
            // 401 frame closes it, so the client reconnects), or only GET whether a socket is open ($connect at the cap).
            List<String> methods = access.connections() ? List.of("POST", "GET", "DELETE") : List.of("GET");
            statements.add(PolicyStatement.Builder.create()
                    .actions(List.of("execute-api:ManageConnections"))
                    .resources(methods.stream().map(method -> Stack.of(this).formatArn(ArnComponents.builder()
                            .service("execute-api")
                            .resource(platform.webSocketStage().getApi().getApiId())
                            .arnFormat(ArnFormat.SLASH_RESOURCE_NAME)
                            .resourceName(platform.webSocketStage().getStageName() + "/" + method + "/@connections/*")
                            .build())).toList())
                    .build());
        }
        if (access.signingKey()) {
            statements.add(PolicyStatement.Builder.create()
                    .actions(List.of("secretsmanager:GetSecretValue"))
                    .resources(List.of(platform.secrets().jwtKeys().getSecretArn()))
                    .build());
        }
        if (!access.sendsTo().isEmpty()) {
            statements.add(PolicyStatement.Builder.create()
                    .actions(List.of("sqs:SendMessage"))
                    .resources(access.sendsTo().stream().map(q -> platform.queues().queueOrItsDeadLetters(q).getQueueArn()).toList())
                    .build());
        }
        platform.controlPlane().connectStatement(access.controlPlane()).ifPresent(statements::add);
        return statements;
    }
}
