package dev.sendsar.push;

import dev.sendsar.json.Json;

import java.util.Map;

/**
 * A Web Push device token: the browser's {@code PushSubscription} as JSON, {@code {endpoint, keys: {p256dh, auth}}}.
 * The endpoint is a URL a user handed us, so it passes the SSRF guard at registration and before every push.
 */
public record WebPushSubscription(String endpoint, String p256dh, String auth) {

    /** The subscription the token holds, or null when it is not one. */
    public static WebPushSubscription parse(Json json, String token) {
        try {
            Map<String, Object> parsed = json.readMap(token);
            if (parsed != null && parsed.get("endpoint") instanceof String endpoint
                    && parsed.get("keys") instanceof Map<?, ?> keys
                    && keys.get("p256dh") instanceof String p256dh && keys.get("auth") instanceof String auth) {
                return new WebPushSubscription(endpoint, p256dh, auth);
            }
            return null;
        } catch (RuntimeException notJson) {
            return null;
        }
    }
}
