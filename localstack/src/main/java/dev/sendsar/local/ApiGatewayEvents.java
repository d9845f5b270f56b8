package dev.sendsar.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import dev.sendsar.routes.RouteTable;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/** Builds the events API Gateway sends, from what arrived on the wire (see AWS-WIRE.md). */
final class ApiGatewayEvents {
    static final String ACCOUNT_ID = "000000000000";
    static final String HTTP_API_ID = "localhttp";
    static final String WS_API_ID = "localws";
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private ApiGatewayEvents() {
    }

    /** Payload format 2.0, stage {@code $default}: lower-case headers, repeats comma-joined, absent collections omitted. */
    static APIGatewayV2HTTPEvent http(FullHttpRequest request, String sourceIp) {
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String rawPath = uri.rawPath();
        String method = request.method().name();
        var match = RouteTable.match(method, rawPath);
        String routeKey = match.map(m -> m.route().routeKey()).orElse("$default");

        APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
        event.setVersion("2.0");
        event.setRouteKey(routeKey);
        event.setRawPath(rawPath);
        event.setRawQueryString(uri.rawQuery());
        Map<String, String> headers = headers(request);
        String cookie = headers.remove("cookie");
        if (cookie != null) {
            event.setCookies(List.of(cookie.split(";\\s*")));
        }
        event.setHeaders(headers);
        if (!uri.parameters().isEmpty()) {
            Map<String, String> query = new LinkedHashMap<>();
            uri.parameters().forEach((name, values) -> query.put(name, String.join(",", values)));
            event.setQueryStringParameters(query);
        }
        match.filter(m -> !m.pathParameters().isEmpty()).ifPresent(m -> event.setPathParameters(m.pathParameters()));
        int length = request.content().readableBytes();
        if (length > 0) {
            byte[] body = new byte[length];
            request.content().getBytes(request.content().readerIndex(), body);
            if (isText(headers.get("content-type"))) {
                event.setBody(new String(body, StandardCharsets.UTF_8));
                event.setIsBase64Encoded(false);
            } else {
                event.setBody(Base64.getEncoder().encodeToString(body));
                event.setIsBase64Encoded(true);
            }
        }
        Instant now = Instant.now();
        APIGatewayV2HTTPEvent.RequestContext context = new APIGatewayV2HTTPEvent.RequestContext();
        context.setAccountId(ACCOUNT_ID);
        context.setApiId(HTTP_API_ID);
        String host = headers.getOrDefault("host", "localhost");
        context.setDomainName(host);
        context.setDomainPrefix(host.split("[.:]")[0]);
        context.setRequestId(UUID.randomUUID().toString());
        context.setRouteKey(routeKey);
        context.setStage("$default");
        context.setTime(REQUEST_TIME.format(now));
        context.setTimeEpoch(now.toEpochMilli());
        APIGatewayV2HTTPEvent.RequestContext.Http http = new APIGatewayV2HTTPEvent.RequestContext.Http();
        http.setMethod(method);
        http.setPath(rawPath);
        http.setProtocol(request.protocolVersion().text());
        http.setSourceIp(sourceIp);
        http.setUserAgent(headers.get("user-agent"));
        context.setHttp(http);
        event.setRequestContext(context);
        return event;
    }

    static APIGatewayV2WebSocketEvent connect(FullHttpRequest request, String connectionId, long connectedAt, String sourceIp) {
        APIGatewayV2WebSocketEvent event = webSocket("$connect", "CONNECT", connectionId, connectedAt, sourceIp);
        Map<String, String> headers = headers(request);
        event.setHeaders(headers);
        Map<String, List<String>> multi = new LinkedHashMap<>();
        request.headers().forEach(h -> multi.computeIfAbsent(h.getKey().toLowerCase(Locale.ROOT), k -> new java.util.ArrayList<>()).add(h.getValue()));
        event.setMultiValueHeaders(multi);
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        if (!uri.parameters().isEmpty()) {
            Map<String, String> query = new LinkedHashMap<>();
            uri.parameters().forEach((name, values) -> query.put(name, values.get(values.size() - 1)));
            event.setQueryStringParameters(query);
        }
        return event;
    }

    static APIGatewayV2WebSocketEvent message(String routeKey, String body, String connectionId, long connectedAt, String sourceIp) {
        APIGatewayV2WebSocketEvent event = webSocket(routeKey, "MESSAGE", connectionId, connectedAt, sourceIp);
        event.getRequestContext().setMessageId(UUID.randomUUID().toString());
        event.setBody(body);
        event.setIsBase64Encoded(false);
        return event;
    }

    static APIGatewayV2WebSocketEvent disconnect(String connectionId, long connectedAt, String sourceIp) {
        APIGatewayV2WebSocketEvent event = webSocket("$disconnect", "DISCONNECT", connectionId, connectedAt, sourceIp);
        event.setHeaders(Map.of("host", "localhost"));
        return event;
    }

    private static APIGatewayV2WebSocketEvent webSocket(String routeKey, String eventType, String connectionId,
                                                         long connectedAt, String sourceIp) {
        APIGatewayV2WebSocketEvent event = new APIGatewayV2WebSocketEvent();
        APIGatewayV2WebSocketEvent.RequestContext context = new APIGatewayV2WebSocketEvent.RequestContext();
        context.setRouteKey(routeKey);
        context.setEventType(eventType);
        context.setConnectionId(connectionId);
        context.setConnectedAt(connectedAt);
        context.setRequestId(UUID.randomUUID().toString());
        context.setRequestTimeEpoch(System.currentTimeMillis());
        context.setStage("local");
        context.setDomainName("localhost");
        context.setApiId(WS_API_ID);
        context.setAccountId(ACCOUNT_ID);
        APIGatewayV2WebSocketEvent.RequestIdentity identity = new APIGatewayV2WebSocketEvent.RequestIdentity();
        identity.setSourceIp(sourceIp);
        context.setIdentity(identity);
        event.setRequestContext(context);
        event.setIsBase64Encoded(false);
        return event;
    }

    /** Lower-case names; a repeated header becomes one comma-joined value, as API Gateway does. */
    private static Map<String, String> headers(FullHttpRequest request) {
        Map<String, String> headers = new LinkedHashMap<>();
        request.headers().forEach(h -> headers.merge(h.getKey().toLowerCase(Locale.ROOT), h.getValue(), (a, b) -> a + "," + b));
        return headers;
    }

    private static boolean isText(String contentType) {
        if (contentType == null) {
            return true;
        }
        String type = contentType.toLowerCase(Locale.ROOT);
        return type.startsWith("text/") || type.contains("json") || type.contains("xml")
                || type.contains("x-www-form-urlencoded") || type.contains("javascript");
    }

    static String hostOf(FullHttpRequest request) {
        String host = request.headers().get(HttpHeaderNames.HOST);
        return host == null ? "localhost" : host;
    }
}
