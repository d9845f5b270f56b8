package dev.sendsar.push;

import dev.sendsar.config.SendsarConfig;
import dev.sendsar.domain.DeviceToken;
import dev.sendsar.json.Json;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** OneSignal's REST API: one notification per subscription id (the device token), with the app's REST API key. */
@Singleton
public class OneSignalProvider implements PushProvider {
    private final HttpClient http;
    private final Json json;
    private final String baseUrl;

    public OneSignalProvider(@Named("push") HttpClient http, Json json, SendsarConfig config) {
        this.http = http;
        this.json = json;
        this.baseUrl = config.getOnesignalUrl();
    }

    @Override
    public String tokenProvider() {
        return "ONESIGNAL";
    }

    @Override
    public Outcome send(PushCredentials.Provider provider, DeviceToken token, Notification notification) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("app_id", provider.value("appId"));
        body.put("include_subscription_ids", List.of(token.token()));
        body.put("headings", Map.of("en", notification.title()));
        body.put("contents", Map.of("en", notification.body()));
        body.put("data", notification.data());
        body.put("ios_badgeType", "SetTo");
        body.put("ios_badgeCount", notification.badge());
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/notifications"))
                .timeout(PushHttp.REQUEST_TIMEOUT)
                .header("Authorization", "Key " + provider.value("apiKey"))
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(json.write(body))).build();
        return PushHttp.exchange(http, request, response -> {
            int status = response.statusCode();
            if (status >= 200 && status < 300 && invalidIds(response.body(), token.token())) {
                return Outcome.DEAD_TOKEN;
            }
            return PushProvider.byStatus(status);
        });
    }

    /**
     * OneSignal answers 200 even when nobody got it: {@code errors.invalid_player_ids} lists dead ids, and
     * "All included players are not subscribed" means the one id we sent is no longer subscribed.
     */
    private boolean invalidIds(String responseBody, String id) {
        Map<String, Object> answer;
        try {
            answer = json.readMap(responseBody);
        } catch (RuntimeException notJson) {
            return false;
        }
        Object errors = answer == null ? null : answer.get("errors");
        if (errors instanceof Map<?, ?> map) {
            return map.get("invalid_player_ids") instanceof List<?> ids && ids.contains(id);
        }
        return errors instanceof List<?> list && list.stream().anyMatch(e -> String.valueOf(e).contains("not subscribed"));
    }
}
