package dev.sendsar.functions.snapstart;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import dev.sendsar.routes.RouteTable;

import java.util.Map;

/**
 * The events a handler primes itself with before a SnapStart snapshot ({@link SnapStartPriming#primeRequests}): a
 * request to its own route as API Gateway hands it over, carrying a session token that is refused.
 */
public final class PrimingEvents {
    private PrimingEvents() {
    }

    /** {@code route} with every path parameter {@code priming}, the token as its bearer, and an empty JSON body. */
    public static APIGatewayV2HTTPEvent http(RouteTable.HttpRoute route, String token) {
        String path = route.path().replaceAll("\\{[^}]+}", "priming");
        APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
        event.setVersion("2.0");
        event.setRouteKey(route.routeKey());
        event.setRawPath(path);
        event.setRawQueryString("");
        event.setHeaders(Map.of("host", "priming", "content-type", "application/json", "authorization", "Bearer " + token));
        event.setBody(route.method().equals("GET") || route.method().equals("DELETE") ? null : "{}");
        event.setIsBase64Encoded(false);
        APIGatewayV2HTTPEvent.RequestContext.Http http = new APIGatewayV2HTTPEvent.RequestContext.Http();
        http.setMethod(route.method());
        http.setPath(path);
        http.setProtocol("HTTP/1.1");
        http.setSourceIp("127.0.0.1");
        APIGatewayV2HTTPEvent.RequestContext context = new APIGatewayV2HTTPEvent.RequestContext();
        context.setRouteKey(route.routeKey());
        context.setStage("$default");
        context.setRequestId("priming");
        context.setHttp(http);
        event.setRequestContext(context);
        return event;
    }

    /** A {@code $connect} with the token in its query. */
    public static APIGatewayV2WebSocketEvent connect(String token) {
        APIGatewayV2WebSocketEvent event = new APIGatewayV2WebSocketEvent();
        event.setQueryStringParameters(Map.of("token", token));
        APIGatewayV2WebSocketEvent.RequestContext context = new APIGatewayV2WebSocketEvent.RequestContext();
        context.setRouteKey("$connect");
        context.setEventType("CONNECT");
        context.setConnectionId("priming=");
        context.setConnectedAt(System.currentTimeMillis());
        context.setRequestId("priming");
        event.setRequestContext(context);
        return event;
    }
}
