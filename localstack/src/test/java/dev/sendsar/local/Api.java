package dev.sendsar.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

/** A plain HTTP client for the REST API, as an integrator's server or a browser would call it. */
final class Api {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    record Response(int status, JsonNode body, HttpResponse<String> raw) {
        String code() {
            return body.path("code").asText(null);
        }
    }

    private final String baseUrl;
    private final String header;
    private final String credential;

    private Api(String baseUrl, String header, String credential) {
        this.baseUrl = baseUrl;
        this.header = header;
        this.credential = credential;
    }

    static Api withKey(LocalStack stack, String apiKey) {
        return new Api(stack.apiUrl(), "x-api-key", apiKey);
    }

    static Api withToken(LocalStack stack, String token) {
        return new Api(stack.apiUrl(), "Authorization", "Bearer " + token);
    }

    static Api admin(LocalStack stack) {
        return withAdminKey(stack, stack.adminKey());
    }

    static Api withAdminKey(LocalStack stack, String adminKey) {
        return new Api(stack.apiUrl(), "x-admin-key", adminKey);
    }

    static Api anonymous(LocalStack stack) {
        return new Api(stack.apiUrl(), null, null);
    }

    /** A new tenant with its own API key, so each test works in isolation. */
    static Api newTenant(LocalStack stack) {
        Response created = admin(stack).post("/admin/tenants", "{\"name\":\"test " + UUID.randomUUID() + "\"}");
        if (created.status() != 201) {
            throw new IllegalStateException("tenant not created: " + created.raw().body());
        }
        return withKey(stack, created.body().path("apiKey").asText());
    }

    /** A message body with one text part. */
    static String text(String text) {
        return "{\"parts\":[{\"type\":\"text\",\"text\":\"" + text + "\"}]}";
    }

    /** The header value this client sends. */
    String credential() {
        return credential;
    }

    Response get(String path) {
        return send(request(path).GET());
    }

    Response post(String path, String json) {
        return send(request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** A post from the device whose socket has this connection id (the {@code ready} frame's), as the SDK sends it. */
    Response postFromSocket(String connectionId, String path, String json) {
        return send(request(path).header("Content-Type", "application/json").header("X-Sendsar-Connection-Id", connectionId)
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    Response delete(String path) {
        return send(request(path).DELETE());
    }

    Response send(String method, String path, String json) {
        return send(request(path).header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)));
    }

    /** Upserts a user and mints a session token for it. */
    String tokenFor(String userId) {
        post("/users", "{\"id\":\"" + userId + "\",\"username\":\"" + userId + "\"}");
        Response token = post("/auth/token", "{\"userId\":\"" + userId + "\"}");
        if (token.status() != 200) {
            throw new IllegalStateException("no token: " + token.raw().body());
        }
        return token.body().path("token").asText();
    }

    /** A session token the platform signed for this tenant's user (upserted), which expired two minutes ago. */
    String expiredTokenFor(LocalStack stack, String userId) {
        tokenFor(userId);
        dev.sendsar.domain.Caller server = stack.context().getBean(dev.sendsar.auth.ApiKeyService.class).authenticate(credential);
        return stack.context().getBean(dev.sendsar.auth.SessionTokenSigner.class)
                .issue(server.tenantId(), userId, server.keyId(), -120).token();
    }

    /** The tenant a session token names (its {@code tid} claim), read as any client can read it. */
    static String tenantOf(String token) {
        try {
            byte[] payload = java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1]);
            return JSON.readTree(payload).path("tid").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates a room of these users and returns its id. */
    String room(String... userIds) {
        StringBuilder participants = new StringBuilder();
        for (String id : userIds) {
            participants.append(participants.length() == 0 ? "" : ",").append("{\"id\":\"").append(id).append("\"}");
        }
        Response room = post("/chat/rooms", "{\"name\":\"r\",\"participants\":[" + participants + "]}");
        if (room.status() != 201) {
            throw new IllegalStateException("no room: " + room.raw().body());
        }
        return room.body().path("id").asText();
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30));
        if (header != null) {
            builder.header(header, credential);
        }
        return builder;
    }

    private static Response send(HttpRequest.Builder builder) {
        try {
            HttpResponse<String> response = HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
            return new Response(response.statusCode(), body, response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
