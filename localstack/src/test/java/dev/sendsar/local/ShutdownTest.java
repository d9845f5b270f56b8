package dev.sendsar.local;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Stopping the stack (what SIGTERM does through the shutdown hook) answers every request that was in flight. */
class ShutdownTest {

    @Test
    void close_finishesAndAnswersTheSendsInFlight() throws Exception {
        LocalStack stack = LocalStack.start(LocalStack.Options.inMemory());
        List<CompletableFuture<HttpResponse<String>>> sends = new ArrayList<>();
        try {
            Api server = Api.newTenant(stack);
            server.tokenFor("alice");
            String room = server.room("alice");
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            for (int i = 0; i < 12; i++) {
                sends.add(http.sendAsync(HttpRequest.newBuilder(URI.create(stack.apiUrl() + "/chat/rooms/" + room + "/messages"))
                        .header("x-api-key", server.credential()).header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(60))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"senderId\":\"alice\",\"parts\":[{\"type\":\"text\",\"text\":\"m" + i + "\"}]}"))
                        .build(), HttpResponse.BodyHandlers.ofString()));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (stack.idle() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertTrue(!stack.idle(), "no send reached a function");
        } finally {
            stack.close();
        }
        int stored = 0;
        for (CompletableFuture<HttpResponse<String>> send : sends) {
            HttpResponse<String> response = send.get(5, TimeUnit.SECONDS);
            assertTrue(response.statusCode() == 201 || response.statusCode() == 503, response.statusCode() + " " + response.body());
            stored += response.statusCode() == 201 ? 1 : 0;
        }
        assertTrue(stored >= 1, "the sends in flight were answered 201");
    }
}
