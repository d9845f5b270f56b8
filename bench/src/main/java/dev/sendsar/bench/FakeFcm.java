package dev.sendsar.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * FCM HTTP v1 and the OAuth2 token endpoint on loopback, for the push scenario: each {@code messages:send} is taken
 * down with the moment it arrived ({@link System#nanoTime()}, the same clock as the bench's) and answered 200.
 * Started before the stack, which reads {@code sendsar.fcm-url} when it starts.
 */
final class FakeFcm implements AutoCloseable {
    /** @param body the FCM request (JSON), holding the device token and the message id */
    record Request(long atNanos, String body) {
    }

    final BlockingQueue<Request> received = new LinkedBlockingQueue<>();
    final AtomicInteger tokenRequests = new AtomicInteger();
    private final HttpServer server;

    FakeFcm() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "fake-fcm");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        long at = System.nanoTime();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String answer;
        if (exchange.getRequestURI().getPath().equals("/token")) {
            tokenRequests.incrementAndGet();
            answer = "{\"access_token\":\"bench-access-token\",\"expires_in\":3600,\"token_type\":\"Bearer\"}";
        } else {
            received.add(new Request(at, body));
            answer = "{\"name\":\"projects/bench/messages/1\"}";
        }
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
