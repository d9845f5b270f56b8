package dev.sendsar.local;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A real WebSocket client that collects the server's frames, as a browser would receive them. */
final class Socket implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final WebSocket webSocket;
    private final LinkedBlockingQueue<JsonNode> frames;
    final CompletableFuture<Integer> closed;

    private Socket(WebSocket webSocket, LinkedBlockingQueue<JsonNode> frames, CompletableFuture<Integer> closed) {
        this.webSocket = webSocket;
        this.frames = frames;
        this.closed = closed;
    }

    static Socket open(LocalStack stack, String token) {
        LinkedBlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        WebSocket.Listener listener = new WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    try {
                        frames.add(Api.JSON.readTree(text.toString()));
                    } catch (Exception e) {
                        frames.add(Api.JSON.createObjectNode().put("unparsable", text.toString()));
                    }
                    text.setLength(0);
                }
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                closed.complete(statusCode);
                return null;
            }

            @Override
            public void onError(WebSocket ws, Throwable error) {
                closed.complete(-1);
            }
        };
        String url = stack.wsUrl() + (token == null ? "" : "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
        WebSocket ws = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create(url), listener).join();
        return new Socket(ws, frames, closed);
    }

    /** The HTTP status that refused the upgrade, or 101 if it was accepted. */
    static int handshakeStatus(LocalStack stack, String token) {
        try (Socket ignored = open(stack, token)) {
            return 101;
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                return refused.getResponse().statusCode();
            }
            throw e;
        }
    }

    Socket sendBinary(byte[] bytes) {
        webSocket.sendBinary(java.nio.ByteBuffer.wrap(bytes), true).join();
        return this;
    }

    Socket send(String json) {
        webSocket.sendText(json, true).join();
        return this;
    }

    /** Says hello and waits for {@code ready}. */
    JsonNode hello() {
        send("{\"action\":\"hello\"}");
        return await("ready");
    }

    JsonNode await(String event) {
        return await(f -> event.equals(f.path("event").asText()), "event " + event);
    }

    /** Waits up to 10 s for a frame matching {@code match}; frames before it are dropped. */
    JsonNode await(Predicate<JsonNode> match, String what) {
        return await(match, what, 10);
    }

    /** Waits up to {@code seconds} for a frame matching {@code match}; frames before it are dropped. */
    JsonNode await(Predicate<JsonNode> match, String what, int seconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<JsonNode> skipped = new ArrayList<>();
        try {
            while (System.nanoTime() < deadline) {
                JsonNode frame = frames.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (frame != null && match.test(frame)) {
                    return frame;
                }
                if (frame != null) {
                    skipped.add(frame);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new AssertionError("No " + what + " within " + seconds + " s; got " + skipped);
    }

    /** Frames that arrive within {@code millis}, for asserting that nothing more comes. */
    List<JsonNode> drain(long millis) {
        List<JsonNode> got = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        try {
            while (System.nanoTime() < deadline) {
                JsonNode frame = frames.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (frame != null) {
                    got.add(frame);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return got;
    }

    @Override
    public void close() {
        if (!webSocket.isOutputClosed()) {
            webSocket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
    }

    void abort() {
        webSocket.abort();
    }
}
