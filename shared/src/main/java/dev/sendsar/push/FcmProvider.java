package dev.sendsar.push;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.auth.oauth2.ServiceAccountCredentials;
import dev.sendsar.config.SendsarConfig;
import dev.sendsar.domain.DeviceToken;
import dev.sendsar.json.Json;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * FCM HTTP v1: the tenant's service account is exchanged for an OAuth2 access token at its {@code token_uri}
 * (google-auth-library caches it and refreshes it shortly before it expires), then one {@code messages:send} per token.
 */
@Singleton
public class FcmProvider implements PushProvider {
    private static final Logger LOG = LoggerFactory.getLogger(FcmProvider.class);
    static final String SCOPE = "https://www.googleapis.com/auth/firebase.messaging";

    private final HttpClient http;
    private final Json json;
    private final String baseUrl;
    /**
     * By credentials fingerprint: a changed key file is a new entry, the old one ages out. The key file is parsed
     * (an RSA key) only when its entry is made, not for every token.
     */
    private final Cache<String, ServiceAccountCredentials> credentials = Caffeine.newBuilder().maximumSize(1_000)
            .expireAfterAccess(Duration.ofHours(2)).build();

    public FcmProvider(@Named("push") HttpClient http, Json json, SendsarConfig config) {
        this.http = http;
        this.json = json;
        this.baseUrl = config.getFcmUrl();
    }

    @Override
    public String tokenProvider() {
        return "FCM";
    }

    @Override
    public Outcome send(PushCredentials.Provider provider, DeviceToken token, Notification notification) {
        ServiceAccountCredentials scoped = credentials.get(provider.fingerprint(), k -> {
            ServiceAccountCredentials account = PushCredentials.serviceAccount(provider.value("serviceAccountJson"));
            return account == null ? null : (ServiceAccountCredentials) account.createScoped(List.of(SCOPE));
        });
        if (scoped == null) {
            return Outcome.REJECTED;
        }
        String accessToken;
        try {
            scoped.refreshIfExpired();
            accessToken = scoped.getAccessToken().getTokenValue();
        } catch (IOException | RuntimeException e) {
            // The token endpoint refused or did not answer: the key may be revoked, or Google briefly down.
            LOG.warn("FCM access token for project {} failed: {}", scoped.getProjectId(), e.getClass().getSimpleName());
            return Outcome.RETRY;
        }
        Map<String, Object> message = Map.of("message", Map.of(
                "token", token.token(),
                "notification", Map.of("title", notification.title(), "body", notification.body()),
                "data", notification.data(),
                "apns", Map.of("payload", Map.of("aps", Map.of("badge", notification.badge())))));
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/v1/projects/" + scoped.getProjectId() + "/messages:send"))
                .timeout(PushHttp.REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + accessToken)
                .header("Content-Type", "application/json; charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(json.write(message))).build();
        return PushHttp.exchange(http, request, response -> {
            int status = response.statusCode();
            if (status == 404 || (status == 400 && response.body().contains("UNREGISTERED"))) {
                return Outcome.DEAD_TOKEN;
            }
            if (status == 401) {
                credentials.invalidate(provider.fingerprint());
            }
            return PushProvider.byStatus(status);
        });
    }
}
