package dev.sendsar.functions.lambda;

import dev.sendsar.routes.RouteTable;
import io.micronaut.context.condition.Condition;
import io.micronaut.context.condition.ConditionContext;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.HttpMethodMapping;
import io.micronaut.http.annotation.UriMapping;
import io.micronaut.http.uri.UriMatchTemplate;
import io.micronaut.inject.BeanDefinition;
import io.micronaut.inject.ExecutableMethod;

import java.util.Locale;
import java.util.Optional;

/**
 * The route a deployed function serves, and the condition that builds a REST bean only in a function that needs it
 * ({@code @Requires(condition = FunctionRoute.class)}). The stack gives every function its {@link RouteTable} name in
 * {@link RouteTable#ROUTE_VARIABLE} (property {@value #PROPERTY}), and API Gateway hands it nothing but that route.
 * Micronaut reads every controller's and filter's methods when a context starts and builds the router from them; one
 * package holds every controller. With the variable, a controller is built and routed only in the function of a
 * route it maps, and the other REST beans with this condition (filters, error handlers) only in HTTP functions
 * (WebSocket functions and workers do not even read the REST side: {@link OnDemandContext}). Without it (the local
 * runtime and the tests: every route in one JVM) every bean is built as before.
 */
public final class FunctionRoute implements Condition {
    public static final String PROPERTY = "sendsar.route";

    /** The route of this process, from its environment; empty where one JVM serves every route. */
    public static Optional<String> ofThisProcess() {
        return Optional.ofNullable(System.getenv(RouteTable.ROUTE_VARIABLE)).filter(name -> !name.isBlank());
    }

    /** Whether {@code name} names an HTTP route (not a WebSocket route or a worker). */
    public static boolean isHttp(String name) {
        return http(name).isPresent();
    }

    @Override
    public boolean matches(ConditionContext context) {
        Optional<String> name = context.getProperty(PROPERTY, String.class).filter(n -> !n.isBlank());
        if (name.isEmpty()) {
            return true;
        }
        Optional<RouteTable.HttpRoute> route = http(name.get());
        if (route.isEmpty()) {
            context.fail("function " + name.get() + " serves no HTTP route");
            return false;
        }
        if (!(context.getComponent() instanceof BeanDefinition<?> bean) || !bean.hasStereotype(Controller.class)) {
            return true;
        }
        if (!mapsRoute(bean, route.get())) {
            context.fail("function " + name.get() + " serves " + route.get().routeKey() + ", not this controller's routes");
            return false;
        }
        return true;
    }

    /** Whether one of the controller's methods is the route, composed as Micronaut's router composes its URIs. */
    static boolean mapsRoute(BeanDefinition<?> controller, RouteTable.HttpRoute route) {
        UriMatchTemplate root = UriMatchTemplate.of(controller.stringValue(UriMapping.class).orElse(UriMapping.DEFAULT_URI));
        for (ExecutableMethod<?, ?> method : controller.getExecutableMethods()) {
            Optional<String> annotation = method.getAnnotationNameByStereotype(HttpMethodMapping.class);
            if (annotation.isEmpty()) {
                continue;
            }
            // @Get, @Post, ...: the annotation's name is the HTTP method
            String httpMethod = annotation.get().substring(annotation.get().lastIndexOf('.') + 1).toUpperCase(Locale.ROOT);
            String uri = method.stringValue(HttpMethodMapping.class).orElse(UriMapping.DEFAULT_URI);
            if (route.method().equals(httpMethod) && route.path().equals(root.nest(uri).toPathString())) {
                return true;
            }
        }
        return false;
    }

    /** The HTTP route of that name, if it is one. */
    public static Optional<RouteTable.HttpRoute> http(String name) {
        return RouteTable.HTTP.stream().filter(route -> route.name().equals(name)).findFirst();
    }
}
