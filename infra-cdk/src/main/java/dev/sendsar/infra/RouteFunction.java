package dev.sendsar.infra;

import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
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
     */
    public record Props(String routeName, String description, String handler, RouteAccess access) {
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
        Function.Builder builder = Function.Builder.create(this, "Function")
                .description("Sendsar " + props.description())
                .runtime(Runtime.JAVA_21)
                .architecture(Architecture.ARM_64)
                .handler(props.handler())
                .code(platform.code())
                .memorySize(settings.memoryOf(props.routeName()))
                .timeout(TIMEOUT)
                .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
                .logGroup(logs)
                .environment(environment(access, platform));
        settings.reservedConcurrencyOf(props.routeName()).ifPresent(builder::reservedConcurrentExecutions);
        this.function = builder.build();
        this.alias = Alias.Builder.create(this, "Alias").aliasName(ALIAS).version(function.getCurrentVersion()).build();
        Annotations.of(function).acknowledgeWarning("@aws-cdk/aws-lambda:snapStartRequirePublish",
                "Every deploy publishes a version and the APIs invoke it through the alias");

        grant(access, platform);
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

    private static Map<String, String> environment(RouteAccess access, Platform platform) {
        Map<String, String> env = new HashMap<>(platform.commonEnvironment());
        if (access.controlPlane() != RouteAccess.ControlPlane.NONE) {
            env.putAll(platform.controlPlane().environmentFor(access.controlPlane()));
        }
        if (access.operatorKey()) {
            env.put("SENDSAR_ADMIN_KEY", PlatformSecrets.deployTimeValue(platform.secrets().operatorKey()));
        }
        return env;
    }

    private void grant(RouteAccess access, Platform platform) {
        if (access.usesTable()) {
            List<String> resources = new ArrayList<>();
            resources.add(platform.table().table().getTableArn());
            access.indexes().forEach(index -> resources.add(platform.table().indexArn(index)));
            function.addToRolePolicy(PolicyStatement.Builder.create()
                    .actions(access.table().stream().map(RouteAccess.TableAction::iamAction).sorted().toList())
                    .resources(resources)
                    .build());
        }
        if (access.connections()) {
            platform.webSocketStage().grantManagementApiAccess(function);
        }
        platform.controlPlane().grantConnect(function, access.controlPlane());
    }
}
