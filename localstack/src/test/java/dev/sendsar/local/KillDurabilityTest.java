package dev.sendsar.local;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A 2xx is durable, events included: the local stack runs in its own JVM, is killed outright (SIGKILL) right after
 * answering a send, and started again on the same data; the message's webhook still arrives, once per event id as
 * a receiver that dedupes by {@code X-Webhook-Id} sees it.
 */
class KillDurabilityTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void anEventCommittedBeforeAKillIsDeliveredAfterTheRestart() throws Exception {
        Path home = Files.createTempDirectory("sendsar-kill");
        int port = Emulators.freePort();
        try (Receiver receiver = new Receiver(r -> 200)) {
            Process first = start(home, port);
            Process second = null;
            try {
                String apiKey = awaitStack(home, port, first);
                call("PUT", port, apiKey, "/tenant/webhook", "{\"url\":\"" + receiver.url() + "\",\"events\":[\"message.created\"]}");
                call("POST", port, apiKey, "/users", "{\"id\":\"kim\"}");
                JsonNode room = call("POST", port, apiKey, "/chat/rooms", "{\"participants\":[{\"id\":\"kim\"}]}");
                HttpResponse<String> sent = HTTP.send(request("POST", port, apiKey, "/chat/rooms/" + room.path("id").asText() + "/messages",
                        "{\"senderId\":\"kim\",\"parts\":[{\"type\":\"text\",\"text\":\"survives\"}]}"), HttpResponse.BodyHandlers.ofString());
                first.destroyForcibly(); // SIGKILL, right after the 2xx
                assertEquals(201, sent.statusCode(), sent.body());
                first.waitFor();
                String messageId = Api.JSON.readTree(sent.body()).path("id").asText();
                int beforeRestart = receiver.requests.size();

                second = start(home, port);
                awaitStack(home, port, second);
                Map<String, Integer> seen = new ConcurrentHashMap<>();
                SqsPollerTest.waitFor(Duration.ofSeconds(60), () -> delivered(receiver, messageId));
                receiver.requests.forEach(r -> seen.merge(r.id(), 1, Integer::sum));
                Set<String> forMessage = receiver.requests.stream().filter(r -> about(r, messageId)).map(Receiver.Request::id)
                        .collect(Collectors.toSet());
                assertEquals(1, forMessage.size(), "one event id for the message");
                System.out.printf("Kill -9 after a 2xx send: delivered after restart (%d request(s) before the kill, %d in all "
                        + "for the event)%n", beforeRestart, seen.get(forMessage.iterator().next()));
            } finally {
                first.destroyForcibly();
                if (second != null) {
                    second.destroy();
                    second.waitFor();
                }
            }
        }
    }

    private static boolean delivered(Receiver receiver, String messageId) {
        return receiver.requests.stream().anyMatch(r -> about(r, messageId));
    }

    private static boolean about(Receiver.Request request, String messageId) {
        try {
            return Api.JSON.readTree(request.body()).path("data").path("id").asText().equals(messageId);
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static Process start(Path home, int port) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"), LocalRuntime.class.getName(),
                "--port", Integer.toString(port), "--home", home.toString()))
                .redirectErrorStream(true)
                .redirectOutput(home.resolve("stack-" + System.nanoTime() + ".log").toFile())
                .start();
    }

    /** Waits for the stack to answer; returns the dev tenant's API key from its env file. */
    private static String awaitStack(Path home, int port, Process process) throws Exception {
        Path env = home.resolve("local.env");
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            assertTrue(process.isAlive(), "the stack exited; see " + home);
            if (Files.exists(env)) {
                try {
                    HttpResponse<String> up = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/realtime")).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (up.statusCode() == 200) {
                        for (String line : Files.readAllLines(env)) {
                            if (line.startsWith("SENDSAR_API_KEY=")) {
                                return line.substring("SENDSAR_API_KEY=".length());
                            }
                        }
                    }
                } catch (java.io.IOException notYet) {
                    // still starting
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the stack did not start within 120 s; see " + home + File.separator + "stack-*.log");
    }

    private static JsonNode call(String method, int port, String apiKey, String path, String body) throws Exception {
        HttpResponse<String> response = HTTP.send(request(method, port, apiKey, path, body), HttpResponse.BodyHandlers.ofString());
        assertTrue(response.statusCode() / 100 == 2, method + " " + path + ": " + response.statusCode() + " " + response.body());
        return Api.JSON.readTree(response.body());
    }

    private static HttpRequest request(String method, int port, String apiKey, String path, String body) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1" + path))
                .header("x-api-key", apiKey).header("content-type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build();
    }
}
