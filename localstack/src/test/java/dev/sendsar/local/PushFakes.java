package dev.sendsar.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Local stand-ins for the push services, on one loopback port, recording every request: an OAuth2 token endpoint
 * (the service account's {@code token_uri}), FCM HTTP v1, APNs, OneSignal and a Web Push service. Scripted answers by
 * token: {@code *-dead} is unregistered, {@code *-flaky*} answers 503 the first time.
 *
 * <p>Every fake speaks HTTP/1.1 over plain HTTP (the JDK's server): the push client asks for HTTP/2 (h2c upgrade),
 * which the fake declines, so the APNs wire format is checked, not its HTTP/2 framing or TLS.
 */
final class PushFakes {
    record Received(String path, Map<String, List<String>> headers, byte[] body, long atNanos) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private static PushFakes instance;

    final List<Received> received = new CopyOnWriteArrayList<>();
    final AtomicInteger tokenRequests = new AtomicInteger();
    private final Map<String, Boolean> failedOnce = new ConcurrentHashMap<>();
    private final HttpServer server;

    private PushFakes() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", this::handle);
        server.start();
    }

    /** Started once per test JVM, before the stack, which reads the provider URLs at start. */
    static synchronized PushFakes get() {
        if (instance == null) {
            try {
                instance = new PushFakes();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return instance;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<Received> to(String pathPart) {
        return received.stream().filter(r -> r.path().contains(pathPart) || r.text().contains(pathPart)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String path = exchange.getRequestURI().getPath();
        long at = System.nanoTime();
        String text = new String(body, StandardCharsets.UTF_8);
        if (path.equals("/token")) {
            tokenRequests.incrementAndGet();
            answer(exchange, 200, "{\"access_token\":\"fake-access-token\",\"expires_in\":3600,\"token_type\":\"Bearer\"}");
            return;
        }
        received.add(new Received(path, Map.copyOf(exchange.getRequestHeaders()), body, at));
        String key = path.startsWith("/notifications") ? text : path + text;
        if (key.contains("-flaky") && failedOnce.putIfAbsent(path + flakyToken(key), true) == null) {
            answer(exchange, 503, "{}");
        } else if (path.contains("/messages:send") && text.contains("fcm-dead")) {
            answer(exchange, 404, "{\"error\":{\"code\":404,\"status\":\"NOT_FOUND\",\"details\":[{\"errorCode\":\"UNREGISTERED\"}]}}");
        } else if (path.startsWith("/3/device/") && path.contains("apns-dead")) {
            answer(exchange, 410, "{\"reason\":\"Unregistered\",\"timestamp\":1}");
        } else if (path.equals("/notifications") && text.contains("os-dead")) {
            answer(exchange, 200, "{\"id\":\"\",\"errors\":{\"invalid_player_ids\":[\"os-dead\"]}}");
        } else if (path.startsWith("/webpush/gone")) {
            answer(exchange, 410, "");
        } else if (path.startsWith("/webpush/")) {
            answer(exchange, 201, "");
        } else if (path.equals("/notifications")) {
            answer(exchange, 200, "{\"id\":\"b98881cc-1e94-4366-bbd9-db8f3429292b\"}");
        } else {
            answer(exchange, 200, path.startsWith("/3/") ? "" : "{\"name\":\"projects/p/messages/1\"}");
        }
    }

    private static String flakyToken(String key) {
        int i = key.indexOf("-flaky");
        return key.substring(Math.max(0, i - 10), Math.min(key.length(), i + 12));
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }
}
