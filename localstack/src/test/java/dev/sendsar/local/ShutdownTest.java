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
        List<String> outcomes = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> send : sends) {
            HttpResponse<String> response;
            try {
                response = send.get(5, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                // a connection still in the listen backlog when the listener closed never reached a function: the
                // client sees it closed unanswered (as any stopped server's backlog) and may retry; nothing was stored
                assertTrue(e.getCause() instanceof java.io.IOException, "unexpected failure: " + e.getCause());
                outcomes.add(e.getCause().toString());
                continue;
            }
            assertTrue(response.statusCode() == 201 || response.statusCode() == 503, response.statusCode() + " " + response.body());
            stored += response.statusCode() == 201 ? 1 : 0;
            outcomes.add(response.statusCode() + " " + response.body());
        }
        assertTrue(stored >= 1, "the sends in flight were answered 201: " + String.join("\n", outcomes));
    }

    /** The real thing: {@code bin/sendsar-local}'s JVM gets SIGTERM while sends are in flight. */
    @Test
    void sigterm_answersTheSendsInFlightBeforeTheProcessEnds(@org.junit.jupiter.api.io.TempDir java.nio.file.Path home) throws Exception {
        Process runtime = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LocalRuntime.class.getName(), "--port", "0", "--home", home.toString())
                .redirectErrorStream(true).start();
        try {
            java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(runtime.getInputStream()));
            String apiUrl = null;
            String apiKey = null;
            for (String line = out.readLine(); line != null && apiKey == null; line = out.readLine()) {
                java.util.regex.Matcher url = java.util.regex.Pattern.compile("REST API\\s+(\\S+)").matcher(line);
                java.util.regex.Matcher key = java.util.regex.Pattern.compile("API key\\s+(sk_\\S+)").matcher(line);
                apiUrl = url.find() ? url.group(1) : apiUrl;
                apiKey = key.find() ? key.group(1) : apiKey;
            }
            assertTrue(apiUrl != null && apiKey != null, "the runtime started");
            List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());
            Thread drain = new Thread(() -> {
                try {
                    out.lines().filter(l -> l.contains("ERROR") || l.contains("Exception") || l.contains("WARN")).forEach(log::add);
                } catch (java.io.UncheckedIOException closed) {
                    // the process is gone
                }
            });
            drain.setDaemon(true);
            drain.start();
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            String key = apiKey;
            String base = apiUrl;
            java.util.function.Function<String, HttpResponse<String>> post = (String json) -> {
                try {
                    return http.send(HttpRequest.newBuilder(URI.create(base + json.substring(0, json.indexOf(' '))))
                            .header("x-api-key", key).header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
                            .POST(HttpRequest.BodyPublishers.ofString(json.substring(json.indexOf(' ') + 1))).build(),
                            HttpResponse.BodyHandlers.ofString());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            };
            post.apply("/users {\"id\":\"alice\"}");
            String room = Api.JSON.readTree(post.apply("/chat/rooms {\"name\":\"r\",\"participants\":[{\"id\":\"alice\"}]}").body()).path("id").asText();
            List<CompletableFuture<HttpResponse<String>>> sends = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                sends.add(http.sendAsync(HttpRequest.newBuilder(URI.create(base + "/chat/rooms/" + room + "/messages"))
                        .header("x-api-key", key).header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"senderId\":\"alice\",\"parts\":[{\"type\":\"text\",\"text\":\"m\"}]}"))
                        .build(), HttpResponse.BodyHandlers.ofString()));
            }
            sends.get(0).join();
            runtime.destroy();
            int stored = 0;
            for (CompletableFuture<HttpResponse<String>> send : sends) {
                try {
                    HttpResponse<String> response = send.get(60, TimeUnit.SECONDS);
                    if (response.statusCode() != 201 && response.statusCode() != 503) {
                        runtime.waitFor(30, TimeUnit.SECONDS);
                        throw new AssertionError(response.statusCode() + " " + response.body() + "\n" + String.join("\n", log));
                    }
                    stored += response.statusCode() == 201 ? 1 : 0;
                } catch (java.util.concurrent.ExecutionException e) {
                    // only a request that never got in may fail: refused at connect, never cut once accepted
                    assertTrue(e.getCause() instanceof java.net.ConnectException, "a send was cut: " + e.getCause());
                }
            }
            assertTrue(stored >= 1);
            assertTrue(runtime.waitFor(60, TimeUnit.SECONDS), "the runtime ended");
        } finally {
            runtime.destroyForcibly();
        }
    }
}
