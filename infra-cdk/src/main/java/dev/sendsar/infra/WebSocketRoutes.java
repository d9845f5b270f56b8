package dev.sendsar.infra;

import dev.sendsar.routes.RouteTable;
import software.amazon.awscdk.services.apigatewayv2.DomainMappingOptions;
import software.amazon.awscdk.services.apigatewayv2.DomainName;
import software.amazon.awscdk.services.apigatewayv2.WebSocketApi;
import software.amazon.awscdk.services.apigatewayv2.WebSocketRouteOptions;
import software.amazon.awscdk.services.apigatewayv2.WebSocketStage;
import software.amazon.awscdk.services.certificatemanager.Certificate;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.constructs.Construct;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The WebSocket API. Built in two steps because every function needs the stage's {@code @connections} URL before
 * the routes exist: the constructor makes the API and stage, {@link #addRoutes} one function per
 * {@link RouteTable#WEBSOCKET} entry ($connect, $disconnect, each action, $default). The API, its routes and
 * integrations are in this stack; the functions in nested {@link RouteStack}s.
 */
public class WebSocketRoutes extends Construct {
    public static final String STAGE = "live";

    private final WebSocketApi api;
    private final WebSocketStage stage;
    private final DomainName domain;
    private final Map<String, RouteFunction> functions = new LinkedHashMap<>();
    private final List<RouteStack> stacks = new ArrayList<>();

    public WebSocketRoutes(Construct scope, String id, DeploymentSettings settings, AlarmTopic alarms) {
        super(scope, id);
        this.api = WebSocketApi.Builder.create(this, "Api")
                .description("Sendsar realtime WebSocket API")
                .routeSelectionExpression("$request.body.action")
                .build();
        this.domain = settings.customDomain().map(d -> DomainName.Builder.create(this, "Domain")
                .domainName(d.webSocketDomainName())
                .certificate(Certificate.fromCertificateArn(this, "Certificate", d.certificateArn()))
                .build()).orElse(null);
        WebSocketStage.Builder stageBuilder = WebSocketStage.Builder.create(this, "Stage")
                .webSocketApi(api)
                .stageName(STAGE)
                .autoDeploy(true);
        if (domain != null) {
            stageBuilder.domainMapping(DomainMappingOptions.builder().domainName(domain).build());
        }
        this.stage = stageBuilder.build();
        AccessLogs.enable(this, stage, settings.logRetention());
        StageThrottling.apply(stage, settings.webSocketThrottle());
        // ExecutionError, not IntegrationError: a refused $connect (bad token) is an integration 4xx, not a fault.
        alarms.atLeast(this, "ExecutionErrors", "The WebSocket API failed to call its functions",
                stage.metric("ExecutionError", MetricOptions.builder().period(AlarmTopic.period()).statistic("Sum").build()), 5);
    }

    /** Adds one function and route per WebSocket route of {@code routes}. */
    public void addRoutes(Platform platform, RouteSet routes) {
        List<List<RouteTable.WsRoute>> chunks = RouteStack.chunks(routes.webSocket());
        for (int i = 0; i < chunks.size(); i++) {
            RouteStack stack = new RouteStack(this, "Routes" + (i + 1),
                    "Sendsar WebSocket route functions, part " + (i + 1) + " of " + chunks.size(), platform);
            stacks.add(stack);
            for (RouteTable.WsRoute route : chunks.get(i)) {
                RouteFunction function = new RouteFunction(stack, route.name(), new RouteFunction.Props(route.name(),
                        "WebSocket " + route.routeKey(), route.handler(), routes.access().apply(route.name())), stack.platform());
                functions.put(route.name(), function);
                // Integration ids are per route name: an integration named "Default" collides with CDK's own.
                api.addRoute(route.routeKey(), WebSocketRouteOptions.builder()
                        .integration(new AliasIntegrations.WebSocket(route.name() + "-integration", function))
                        .build());
            }
        }
    }

    public WebSocketStage stage() {
        return stage;
    }

    public Map<String, RouteFunction> functions() {
        return Map.copyOf(functions);
    }

    /** The nested stacks holding the functions, in route-table order. */
    public List<RouteStack> stacks() {
        return List.copyOf(stacks);
    }

    /** Where clients open the socket. */
    public String url() {
        return domain == null ? stage.getUrl() : "wss://" + domain.getName();
    }

    /** The {@code @connections} endpoint: always the execute-api host, which IAM signs for. */
    public String callbackUrl() {
        return stage.getCallbackUrl();
    }

    public String domainTarget() {
        return domain == null ? null : domain.getRegionalDomainName();
    }
}
