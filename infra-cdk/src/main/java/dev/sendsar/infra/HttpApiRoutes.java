package dev.sendsar.infra;

import dev.sendsar.routes.RouteTable;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.apigatewayv2.AddRoutesOptions;
import software.amazon.awscdk.services.apigatewayv2.CorsHttpMethod;
import software.amazon.awscdk.services.apigatewayv2.CorsPreflightOptions;
import software.amazon.awscdk.services.apigatewayv2.DomainMappingOptions;
import software.amazon.awscdk.services.apigatewayv2.DomainName;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.apigatewayv2.HttpMethod;
import software.amazon.awscdk.services.apigatewayv2.HttpRoute;
import software.amazon.awscdk.services.apigatewayv2.HttpRouteKey;
import software.amazon.awscdk.services.certificatemanager.Certificate;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.constructs.Construct;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The HTTP API: one route and one function per {@link RouteTable#HTTP} entry, all running the same Micronaut
 * application (payload v2). Unknown paths and methods go to {@code $default}, served by the data-less
 * {@link RouteAccessTable#HTTP_FALLBACK_ROUTE} function, whose router renders the JSON 404/405 the local runtime does.
 * The API, its routes and integrations are in this stack; the functions in nested {@link RouteStack}s.
 */
public class HttpApiRoutes extends Construct {
    private final HttpApi api;
    private final Map<String, RouteFunction> functions = new LinkedHashMap<>();
    private final List<RouteStack> stacks = new ArrayList<>();
    private final DomainName domain;

    public HttpApiRoutes(Construct scope, String id, Platform platform, RouteSet routes) {
        super(scope, id);
        DeploymentSettings settings = platform.settings();
        this.domain = settings.customDomain().map(d -> DomainName.Builder.create(this, "Domain")
                .domainName(d.apiDomainName())
                .certificate(Certificate.fromCertificateArn(this, "Certificate", d.certificateArn()))
                .build()).orElse(null);
        HttpApi.Builder builder = HttpApi.Builder.create(this, "Api")
                .description("Sendsar REST API")
                .corsPreflight(CorsPreflightOptions.builder()
                        .allowOrigins(settings.corsOrigins())
                        .allowMethods(List.of(CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.PUT,
                                CorsHttpMethod.PATCH, CorsHttpMethod.DELETE))
                        .allowHeaders(RouteTable.CORS_ALLOW_HEADERS)
                        .maxAge(Duration.hours(1))
                        .build());
        if (domain != null) {
            builder.defaultDomainMapping(DomainMappingOptions.builder().domainName(domain).build());
        }
        this.api = builder.build();
        AccessLogs.enable(this, api.getDefaultStage(), settings.logRetention());
        StageThrottling.apply(api.getDefaultStage(), settings.httpThrottle());

        List<List<RouteTable.HttpRoute>> chunks = RouteStack.chunks(routes.http());
        for (int i = 0; i < chunks.size(); i++) {
            RouteStack stack = new RouteStack(this, "Routes" + (i + 1),
                    "Sendsar HTTP route functions, part " + (i + 1) + " of " + chunks.size(), platform);
            stacks.add(stack);
            for (RouteTable.HttpRoute route : chunks.get(i)) {
                RouteFunction function = new RouteFunction(stack, route.name(), new RouteFunction.Props(route.name(),
                        route.routeKey(), RouteTable.REST_HANDLER, routes.access().apply(route.name())), stack.platform());
                functions.put(route.name(), function);
                api.addRoutes(AddRoutesOptions.builder()
                        .path(route.path())
                        .methods(List.of(HttpMethod.valueOf(route.method())))
                        .integration(new AliasIntegrations.Http(route.name() + "-integration", function))
                        .build());
            }
        }
        RouteFunction fallback = functions.get(RouteAccessTable.HTTP_FALLBACK_ROUTE);
        HttpRoute.Builder.create(this, "DefaultRoute")
                .httpApi(api)
                .routeKey(HttpRouteKey.DEFAULT)
                .integration(new AliasIntegrations.Http("default-integration", fallback))
                .build();

        platform.alarms().atLeast(this, "ServerErrors", "The HTTP API answered 5xx",
                api.metricServerError(MetricOptions.builder().period(AlarmTopic.period()).statistic("Sum").build()), 5);
    }

    public HttpApi api() {
        return api;
    }

    public Map<String, RouteFunction> functions() {
        return Map.copyOf(functions);
    }

    /** The nested stacks holding the functions, in route-table order. */
    public List<RouteStack> stacks() {
        return List.copyOf(stacks);
    }

    /** The base URL clients use: the custom domain if there is one. Routes start with /v1. */
    public String url() {
        return domain == null ? api.getUrl() : "https://" + domain.getName() + "/";
    }

    /** The target a DNS CNAME/alias for the custom domain must point at, if there is one. */
    public String domainTarget() {
        return domain == null ? null : domain.getRegionalDomainName();
    }
}
