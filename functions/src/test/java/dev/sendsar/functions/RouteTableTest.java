package dev.sendsar.functions;

import dev.sendsar.functions.security.Roles;
import dev.sendsar.routes.RouteTable;
import io.micronaut.context.ApplicationContext;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.web.router.Router;
import io.micronaut.web.router.UriRouteInfo;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The REST application serves exactly the routes of the route table, which CDK deploys one function each. */
class RouteTableTest {

    @Test
    void everyControllerRouteIsInTheRouteTableAndViceVersa() {
        try (ApplicationContext context = ApplicationContext.run(java.util.Map.of("sendsar.jwt-public-keys", dev.sendsar.auth.SessionTokenSigner.publicKeysOf(dev.sendsar.auth.SessionTokenSigner.generateKeySet())))) {
            // Micronaut answers HEAD for every GET by itself; API Gateway routes only what the table declares
            Set<String> served = context.getBean(Router.class).uriRoutes()
                    .filter(route -> !"HEAD".equals(route.getHttpMethodName()))
                    .map(route -> {
                        UriRouteInfo<?, ?> info = route;
                        return info.getHttpMethodName() + " " + info.getUriMatchTemplate().toPathString();
                    })
                    .collect(Collectors.toCollection(TreeSet::new));
            Set<String> declared = RouteTable.HTTP.stream().map(RouteTable.HttpRoute::routeKey)
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(declared, served);
        }
    }

    @Test
    void everyControllerRouteDeclaresWhoMayCallIt_withKnownRolesOnly() {
        Set<String> known = Set.of(Roles.API_KEY, Roles.USER, Roles.ADMIN, SecurityRule.IS_ANONYMOUS);
        try (ApplicationContext context = ApplicationContext.run(java.util.Map.of("micronaut.server.port", -1))) {
            List<String> undeclared = context.getBean(Router.class).uriRoutes()
                    .filter(route -> {
                        Set<String> roles = Set.of(route.getAnnotationMetadata().stringValues(Secured.class));
                        return roles.isEmpty() || !known.containsAll(roles)
                                || (roles.contains(SecurityRule.IS_ANONYMOUS) && roles.size() > 1);
                    })
                    .map(route -> route.getHttpMethodName() + " " + ((UriRouteInfo<?, ?>) route).getUriMatchTemplate().toPathString())
                    .toList();
            assertEquals(List.of(), undeclared, "routes without a rule are refused to everyone: declare one with @Secured");
        }
    }

    @Test
    void routeMatching_givesApiGatewaysRouteKeyAndPathParameters() {
        var match = RouteTable.match("GET", "/v1/chat/rooms/abc%2Fdef/messages").orElseThrow();
        assertEquals("GET /v1/chat/rooms/{roomId}/messages", match.route().routeKey());
        assertEquals("abc/def", match.pathParameters().get("roomId"));
        assertEquals(false, RouteTable.match("PATCH", "/v1/users").isPresent());
        assertEquals(false, RouteTable.match("GET", "/v1/chat/rooms/").isPresent());
    }
}
