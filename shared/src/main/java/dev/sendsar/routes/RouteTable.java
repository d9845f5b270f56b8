package dev.sendsar.routes;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one list of routes. The CDK stack deploys one function per entry; the local runtime serves exactly these,
 * with the same route keys and path parameters API Gateway would give; a test holds the REST application to it.
 */
public final class RouteTable {
    /** Every REST function runs the same Micronaut application; API Gateway hands each only its own route. */
    public static final String REST_HANDLER = "dev.sendsar.functions.rest.RestFunction";
    public static final String CONNECT_HANDLER = "dev.sendsar.functions.ws.ConnectHandler";
    public static final String DISCONNECT_HANDLER = "dev.sendsar.functions.ws.DisconnectHandler";
    public static final String ACTION_HANDLER = "dev.sendsar.functions.ws.ActionHandler";

    /** An HTTP API route; {@code name} names its function. */
    public record HttpRoute(String method, String path, String name) {
        public String routeKey() {
            return method + " " + path;
        }
    }

    /** A WebSocket API route key and the handler class its function runs. */
    public record WsRoute(String routeKey, String name, String handler) {
    }

    public record Match(HttpRoute route, Map<String, String> pathParameters) {
    }

    public static final List<HttpRoute> HTTP = List.of(
            // operator
            new HttpRoute("POST", "/v1/admin/tenants", "admin-create-tenant"),
            new HttpRoute("POST", "/v1/admin/tenants/{tenantId}/api-keys", "admin-issue-api-key"),
            new HttpRoute("DELETE", "/v1/admin/tenants/{tenantId}/api-keys/{keyId}", "admin-revoke-api-key"),
            // users and sessions
            new HttpRoute("POST", "/v1/users", "upsert-user"),
            new HttpRoute("GET", "/v1/users/{userId}", "get-user"),
            // the literal "me" routes come first: API Gateway, like this table, prefers them over {userId}
            new HttpRoute("POST", "/v1/users/me/device-tokens", "register-own-device-token"),
            new HttpRoute("DELETE", "/v1/users/me/device-tokens/{token}", "unregister-own-device-token"),
            new HttpRoute("POST", "/v1/users/{userId}/device-tokens", "register-device-token"),
            new HttpRoute("POST", "/v1/auth/token", "mint-token"),
            new HttpRoute("GET", "/v1/auth/jwks.json", "jwks"),
            new HttpRoute("GET", "/v1/realtime", "realtime-info"),
            // rooms
            new HttpRoute("POST", "/v1/chat/rooms", "create-room"),
            new HttpRoute("GET", "/v1/chat/rooms", "list-rooms"),
            new HttpRoute("GET", "/v1/chat/rooms/{roomId}", "get-room"),
            new HttpRoute("PATCH", "/v1/chat/rooms/{roomId}", "update-room"),
            new HttpRoute("POST", "/v1/chat/rooms/{roomId}/participants", "add-participant"),
            new HttpRoute("PATCH", "/v1/chat/rooms/{roomId}/participants/{userId}", "change-participant-role"),
            new HttpRoute("DELETE", "/v1/chat/rooms/{roomId}/participants/{userId}", "remove-participant"),
            new HttpRoute("DELETE", "/v1/chat/rooms/{roomId}/for-me", "delete-room-for-me"),
            new HttpRoute("POST", "/v1/chat/rooms/{roomId}/clear-history", "clear-history"),
            new HttpRoute("POST", "/v1/chat/rooms/{roomId}/read", "mark-read"),
            new HttpRoute("POST", "/v1/chat/rooms/{roomId}/delivery", "mark-delivered"),
            // messages
            new HttpRoute("POST", "/v1/chat/rooms/{roomId}/messages", "send-message"),
            new HttpRoute("GET", "/v1/chat/rooms/{roomId}/messages", "list-messages"),
            new HttpRoute("PATCH", "/v1/chat/rooms/{roomId}/messages/{messageId}", "edit-message"),
            new HttpRoute("DELETE", "/v1/chat/rooms/{roomId}/messages/{messageId}", "delete-message"),
            new HttpRoute("POST", "/v1/chat/rooms/{roomId}/messages/{messageId}/reactions", "toggle-reaction"),
            new HttpRoute("POST", "/v1/chat/rooms/{roomId}/messages/{messageId}/pin", "pin-message"),
            new HttpRoute("DELETE", "/v1/chat/rooms/{roomId}/messages/{messageId}/pin", "unpin-message"),
            new HttpRoute("GET", "/v1/chat/rooms/{roomId}/pinned-messages", "list-pinned-messages"),
            new HttpRoute("POST", "/v1/chat/rooms/{roomId}/messages/{messageId}/forward", "forward-message"),
            new HttpRoute("GET", "/v1/sync", "sync"),
            // tenant settings, rate limits and media uploads
            new HttpRoute("GET", "/v1/tenant/settings", "get-tenant-settings"),
            new HttpRoute("PATCH", "/v1/tenant/settings", "patch-tenant-settings"),
            new HttpRoute("POST", "/v1/chat/uploads/presign", "presign-upload"),
            new HttpRoute("POST", "/v1/chat/uploads/{uploadId}/complete", "complete-upload"),
            new HttpRoute("DELETE", "/v1/chat/uploads/{uploadId}", "abort-upload"),
            new HttpRoute("GET", "/v1/chat/uploads/{uploadId}/access", "upload-access"),
            new HttpRoute("POST", "/v1/chat/uploads/access", "upload-access-batch")
            // API reference
    );

    public static final List<WsRoute> WEBSOCKET = List.of(
            new WsRoute("$connect", "ws-connect", CONNECT_HANDLER),
            new WsRoute("$disconnect", "ws-disconnect", DISCONNECT_HANDLER),
            new WsRoute("hello", "ws-hello", ACTION_HANDLER),
            new WsRoute("join-room", "ws-join-room", ACTION_HANDLER),
            new WsRoute("leave-room", "ws-leave-room", ACTION_HANDLER),
            new WsRoute("ping", "ws-ping", ACTION_HANDLER),
            new WsRoute("typing", "ws-typing", ACTION_HANDLER),
            new WsRoute("$default", "ws-default", ACTION_HANDLER));

    private RouteTable() {
    }

    /** The route API Gateway would pick for this request, with its path parameters; empty means {@code $default}. */
    public static Optional<Match> match(String method, String path) {
        for (HttpRoute route : HTTP) {
            if (!route.method().equals(method)) {
                continue;
            }
            Map<String, String> params = matchPath(route.path(), path);
            if (params != null) {
                return Optional.of(new Match(route, params));
            }
        }
        return Optional.empty();
    }

    public static Optional<WsRoute> websocket(String routeKey) {
        return WEBSOCKET.stream().filter(r -> r.routeKey().equals(routeKey)).findFirst();
    }

    private static Map<String, String> matchPath(String template, String path) {
        String[] t = template.split("/", -1);
        String[] p = path.split("/", -1);
        if (t.length != p.length) {
            return null;
        }
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < t.length; i++) {
            if (t[i].startsWith("{") && t[i].endsWith("}")) {
                if (p[i].isEmpty()) {
                    return null;
                }
                params.put(t[i].substring(1, t[i].length() - 1), java.net.URLDecoder.decode(p[i], java.nio.charset.StandardCharsets.UTF_8));
            } else if (!t[i].equals(p[i])) {
                return null;
            }
        }
        return params;
    }
}
