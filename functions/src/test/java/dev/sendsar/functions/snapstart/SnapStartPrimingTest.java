package dev.sendsar.functions.snapstart;

import dev.sendsar.auth.SessionTokenSigner;
import dev.sendsar.functions.lambda.OnDemandContext;
import dev.sendsar.functions.rest.RestFunction;
import dev.sendsar.functions.ws.ConnectHandler;
import dev.sendsar.routes.RouteTable;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SnapStartPrimingTest {
    /** Every endpoint a function could reach, closed. */
    private static final Map<String, Object> CLOSED = Map.of("sendsar.jwt-public-keys",
            SessionTokenSigner.publicKeysOf(SessionTokenSigner.generateKeySet()),
            "sendsar.dynamodb-endpoint", "http://127.0.0.1:9", "sendsar.ws-callback-url", "http://127.0.0.1:9",
            "datasources.default.url", "jdbc:postgresql://127.0.0.1:9/none");

    @Test
    void everyFunctionContext_primesTheHotPathsWithoutAnyNetwork() {
        // no emulator runs here: priming that reached DynamoDB, the database or API Gateway would fail
        // every route in one context, a REST function's and a WebSocket function's (which reads no REST side)
        for (Optional<String> route : List.of(Optional.<String>empty(), Optional.of("send-message"), Optional.of("ws-connect"))) {
            try (ApplicationContext context = OnDemandContext.builder(route).properties(CLOSED).start()) {
                assertTrue(context.containsBean(SnapStartPriming.class), route.toString());
                SnapStartPriming priming = context.getBean(SnapStartPriming.class);
                assertEquals(SnapStartPriming.ROUNDS, priming.prime(), route.toString());
                // nine kinds of DynamoDB call and a post, each answered in this process (the endpoints here are closed)
                assertEquals(SnapStartPriming.CALL_ROUNDS * 10, priming.primeCalls(), route.toString());
                // AWS clients are built on first use; the snapshot holds the @connections client a send posts through
                assertTrue(context.getActiveBeanRegistrations(ApiGatewayManagementApiClient.class).isEmpty(), route.toString());
                priming.beforeCheckpoint(null);
                assertEquals(1, context.getActiveBeanRegistrations(ApiGatewayManagementApiClient.class).size(), route.toString());
            }
        }
    }

    /**
     * Each deployed HTTP function and {@code $connect} primes its own route with a request whose token is refused:
     * answered 401 every round, with every endpoint closed (a request that reached storage would fail).
     */
    @Test
    void everyDeployedFunction_primesItsRouteWithARefusedRequest() {
        Map<String, Integer> refused = new java.util.TreeMap<>();
        for (RouteTable.HttpRoute route : RouteTable.HTTP) {
            try (ApplicationContext context = OnDemandContext.builder(Optional.of(route.name())).properties(CLOSED).start()) {
                new RestFunction(context);
                refused.put(route.name(), context.getBean(SnapStartPriming.class).primeRequests());
            }
        }
        try (ApplicationContext context = OnDemandContext.builder(Optional.of("ws-connect")).properties(CLOSED).start()) {
            new ConnectHandler(context);
            refused.put("ws-connect", context.getBean(SnapStartPriming.class).primeRequests());
        }
        // the routes that take no session token answer otherwise (here LiveKit's webhook 503: no media server), once,
        // and are not primed further
        Set<String> noSessionToken = Set.of("jwks", "realtime-info", "livekit-webhook");
        refused.forEach((route, count) -> assertEquals(noSessionToken.contains(route) ? 0 : SnapStartPriming.ROUNDS, count, route));
        assertEquals(RouteTable.HTTP.size() + 1, refused.size());
    }

    @Test
    void priming_canBeSwitchedOff() {
        try (ApplicationContext context = ApplicationContext.run(Map.of("sendsar.jwt-public-keys", SessionTokenSigner.publicKeysOf(SessionTokenSigner.generateKeySet()),
                "sendsar.snapstart-priming", "false"))) {
            assertTrue(!context.containsBean(SnapStartPriming.class));
        }
    }
}
