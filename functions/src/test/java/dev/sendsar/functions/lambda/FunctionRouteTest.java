package dev.sendsar.functions.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.sendsar.auth.SessionTokenSigner;
import dev.sendsar.functions.rest.IdFilter;
import dev.sendsar.functions.rest.RoomController;
import dev.sendsar.functions.rest.UserController;
import dev.sendsar.functions.workers.SqsWorkerFunction;
import dev.sendsar.functions.workers.TableStreamWorkerFunction;
import dev.sendsar.functions.ws.ConnectHandler;
import dev.sendsar.routes.RouteTable;
import io.micronaut.context.ApplicationContext;
import io.micronaut.function.aws.MicronautRequestHandler;
import io.micronaut.security.filters.SecurityFilter;
import io.micronaut.web.router.Router;
import io.micronaut.web.router.UriRouteInfo;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A deployed function builds only what its route uses, and still serves its route. */
class FunctionRouteTest {
    private static final Map<String, Object> KEYS = Map.of("sendsar.jwt-public-keys",
            SessionTokenSigner.publicKeysOf(SessionTokenSigner.generateKeySet()));

    @Test
    void everyHttpFunctionRoutesItsRoute_andOnlyItsControllersRoutes() {
        // what every route's controller serves, from the application of every route (the local runtime's)
        Map<String, Set<String>> routesOfController;
        try (ApplicationContext all = OnDemandContext.builder(Optional.empty()).properties(KEYS).start()) {
            routesOfController = routes(all).collect(Collectors.groupingBy(route -> route.getDeclaringType().getName(),
                    Collectors.mapping(FunctionRouteTest::routeKey, Collectors.toCollection(TreeSet::new))));
        }
        for (RouteTable.HttpRoute route : RouteTable.HTTP) {
            try (ApplicationContext function = OnDemandContext.builder(Optional.of(route.name())).properties(KEYS).start()) {
                Set<String> served = routes(function).map(FunctionRouteTest::routeKey).collect(Collectors.toCollection(TreeSet::new));
                Set<String> expected = routesOfController.values().stream().filter(routes -> routes.contains(route.routeKey()))
                        .findFirst().orElseThrow();
                assertEquals(expected, served, route.name());
                assertTrue(function.containsBean(IdFilter.class), route.name());
                assertTrue(function.containsBean(SecurityFilter.class), route.name());
            }
        }
    }

    @Test
    void theSendMessageFunction_buildsTheRoomControllerAlone() {
        try (ApplicationContext function = OnDemandContext.builder(Optional.of("send-message")).properties(KEYS).start()) {
            assertTrue(function.containsBean(RoomController.class));
            assertFalse(function.containsBean(UserController.class));
        }
    }

    @Test
    void webSocketFunctionsAndWorkers_readNothingOfTheRestSide_andStillStartAndAnswer() throws Exception {
        for (RouteTable.WsRoute route : RouteTable.WEBSOCKET) {
            try (ApplicationContext function = OnDemandContext.builder(Optional.of(route.name())).properties(KEYS).start()) {
                assertNoRestSide(function, route.name());
                MicronautRequestHandler<?, ?> handler = handler(route.handler(), function);
                if (handler instanceof ConnectHandler connect) {
                    // the whole Lambda path of a $connect without a token: refused before any storage is touched
                    assertEquals(401, connect.handleRequest(connectWithoutToken(), null).getStatusCode());
                }
            }
        }
        for (RouteTable.Worker worker : RouteTable.WORKERS) {
            try (ApplicationContext function = OnDemandContext.builder(Optional.of(worker.name())).properties(KEYS).start()) {
                assertNoRestSide(function, worker.name());
                MicronautRequestHandler<?, ?> handler = handler(worker.handler(), function);
                if (handler instanceof SqsWorkerFunction sqs) {
                    SQSEvent empty = new SQSEvent();
                    empty.setRecords(List.of());
                    assertTrue(sqs.handleRequest(empty, null).getBatchItemFailures().isEmpty(), worker.name());
                } else if (handler instanceof TableStreamWorkerFunction stream) {
                    DynamodbEvent empty = new DynamodbEvent();
                    empty.setRecords(List.of());
                    assertTrue(stream.handleRequest(empty, null).getBatchItemFailures().isEmpty(), worker.name());
                }
            }
        }
    }

    @Test
    void onlyTheRestSideIsLeftOutOfOtherFunctions() {
        assertTrue(OnDemandContext.restSide("dev.sendsar.calls.$CallController$Definition"));
        assertTrue(OnDemandContext.restSide("io.micronaut.web.router.$DefaultRouter$Definition"));
        assertTrue(OnDemandContext.restSide("io.micronaut.http.server.$RouteExecutor$Definition"));
        assertFalse(OnDemandContext.restSide("dev.sendsar.calls.$CallService$Definition"));
        assertFalse(OnDemandContext.restSide("dev.sendsar.functions.security.$SessionTokenValidation$Definition"));
        assertFalse(OnDemandContext.restSide("dev.sendsar.calls.$LiveKitConfig$Definition"));
    }

    private static void assertNoRestSide(ApplicationContext function, String name) {
        assertFalse(function.containsBean(Router.class), name);
        assertFalse(function.containsBean(RoomController.class), name);
        assertFalse(function.containsBean(IdFilter.class), name);
        assertFalse(function.containsBean(SecurityFilter.class), name);
        assertTrue(function.getBeanDefinitionReferences().stream()
                .noneMatch(definition -> OnDemandContext.restSide(definition.getBeanDefinitionName())), name);
    }

    /** The handler as the local runtime builds it, on the given context. */
    private static MicronautRequestHandler<?, ?> handler(String className, ApplicationContext context) throws Exception {
        return (MicronautRequestHandler<?, ?>) Class.forName(className).getConstructor(ApplicationContext.class).newInstance(context);
    }

    private static APIGatewayV2WebSocketEvent connectWithoutToken() {
        APIGatewayV2WebSocketEvent event = new APIGatewayV2WebSocketEvent();
        APIGatewayV2WebSocketEvent.RequestContext context = new APIGatewayV2WebSocketEvent.RequestContext();
        context.setRouteKey("$connect");
        context.setEventType("CONNECT");
        context.setConnectionId("probe=");
        context.setConnectedAt(System.currentTimeMillis());
        event.setRequestContext(context);
        return event;
    }

    /** Micronaut answers HEAD for every GET by itself; API Gateway routes only what the table declares. */
    private static java.util.stream.Stream<UriRouteInfo<?, ?>> routes(ApplicationContext context) {
        return context.getBean(Router.class).uriRoutes().filter(route -> !"HEAD".equals(route.getHttpMethodName()));
    }

    private static String routeKey(UriRouteInfo<?, ?> route) {
        return route.getHttpMethodName() + " " + route.getUriMatchTemplate().toPathString();
    }
}
