package dev.sendsar.local;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The local runtime serves the API reference: a Scalar page, Scalar itself (no CDN) and the generated document. */
class ApiDocsTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final LocalStack stack = TestStack.get();

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + stack.port() + path))
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void docsPage_isScalarOnTheGeneratedDocument_withoutCredentialsOrCdn() throws Exception {
        HttpResponse<String> page = get("/v1/docs");
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("content-type").orElse("").startsWith("text/html"));
        String html = page.body();
        assertTrue(html.contains("Scalar.createApiReference"), html);
        assertTrue(html.contains("/v1/docs/openapi.yml"), html);
        assertTrue(html.contains("src=\"/v1/docs/scalar/standalone.js\""), html);
        assertFalse(html.contains("https://"), "the page must not load anything from a CDN: " + html);

        HttpResponse<String> script = get("/v1/docs/scalar/standalone.js");
        assertEquals(200, script.statusCode());
        assertTrue(script.body().contains("@scalar/api-reference"), "Scalar's standalone bundle");
        assertTrue(script.body().length() > 1_000_000);
    }

    @Test
    void openApiDocument_listsTheRoutesAndTheErrorBody() throws Exception {
        HttpResponse<String> document = get("/v1/docs/openapi.yml");
        assertEquals(200, document.statusCode());
        String yaml = document.body();
        assertTrue(yaml.startsWith("openapi: 3."), yaml.substring(0, Math.min(200, yaml.length())));
        assertTrue(yaml.contains("  /v1/chat/rooms/{roomId}/messages:"), "a route of the route table");
        assertTrue(yaml.contains("    ErrorBody:"), "the common error schema");
        assertTrue(yaml.contains("x-admin-key"), "the operator credential");
    }

    @Test
    void otherMethodsAndPathsStillReachTheRestFunction() throws Exception {
        HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + stack.port() + "/v1/docs"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, post.statusCode());
        assertEquals(404, get("/v1/docs/nothing-here").statusCode());
    }
}
