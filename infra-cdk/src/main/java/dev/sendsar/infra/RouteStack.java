package dev.sendsar.infra;

import software.amazon.awscdk.NestedStack;
import software.amazon.awscdk.NestedStackProps;
import software.amazon.awscdk.services.lambda.Code;
import software.constructs.Construct;

import java.util.ArrayList;
import java.util.List;

/**
 * A nested stack holding the functions of up to {@value #ROUTES_PER_STACK} routes of one API. CloudFormation allows
 * 500 resources per stack and each route's function costs {@value #RESOURCES_PER_ROUTE} (function, role, version,
 * alias, log group, throttle alarm, invoke permission), so each API cuts its routes, in route-table order, into chunks
 * of {@value #ROUTES_PER_STACK}, one nested stack each ({@code Http/Routes1}, {@code Http/Routes2}, ...,
 * {@code WebSocket/Routes1}): a new route joins the last chunk or opens one more nested stack.
 *
 * <p>The parent keeps the shared resources and each API's routes and integrations (2 resources per route), which
 * point at the aliases here; the invoke permissions stay beside their alias. What the functions use from the parent
 * (table, bucket, cluster, secrets, API ids, alarm topic) arrives as parameters CDK generates; the alias and role
 * ARNs the parent uses go back up as outputs. So references only run parent to nested stack and back, never in a
 * cycle.
 */
public class RouteStack extends NestedStack {
    public static final int ROUTES_PER_STACK = 20;
    /** What one route adds to its nested stack; the test holds the templates to it. */
    public static final int RESOURCES_PER_ROUTE = 7;

    private final Platform platform;

    public RouteStack(Construct scope, String id, String description, Platform platform) {
        super(scope, id, NestedStackProps.builder().description(description).build());
        // An asset belongs to one stack: each nested stack gets its own handle on the same code package.
        this.platform = platform.withCode(Code.fromAsset(platform.code().getPath()));
    }

    /** The platform as functions of this stack must see it: same resources, this stack's code asset. */
    public Platform platform() {
        return platform;
    }

    /** {@code routes} in order, cut into consecutive chunks of at most {@link #ROUTES_PER_STACK}. */
    public static <T> List<List<T>> chunks(List<T> routes) {
        List<List<T>> chunks = new ArrayList<>();
        for (int from = 0; from < routes.size(); from += ROUTES_PER_STACK) {
            chunks.add(List.copyOf(routes.subList(from, Math.min(routes.size(), from + ROUTES_PER_STACK))));
        }
        return chunks;
    }
}
