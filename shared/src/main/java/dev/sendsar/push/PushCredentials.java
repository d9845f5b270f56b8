package dev.sendsar.push;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.google.auth.oauth2.ServiceAccountCredentials;
import dev.sendsar.auth.Secrets;
import dev.sendsar.error.Violations;
import io.micronaut.serde.annotation.Serdeable;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A tenant's push provider credentials ({@code push.*} of its settings). Write-only: what is shown (GET settings) is
 * whether each provider is configured and a fingerprint of its secret; the values themselves are never serialized.
 */
@Serdeable
public record PushCredentials(Provider fcm, Provider apns, Provider onesignal, Provider webpush) {
    static final int MAX_VALUE_CHARS = 16 * 1024;

    /** The fields of each provider, in the order of the contract; every field is required unless listed optional. */
    static final Map<String, List<String>> FIELDS = Map.of(
            "fcm", List.of("serviceAccountJson"),
            "apns", List.of("teamId", "keyId", "privateKey", "bundleId", "production"),
            "onesignal", List.of("appId", "apiKey"),
            "webpush", List.of("vapidPublicKey", "vapidPrivateKey", "subject"));

    public static final PushCredentials NONE = new PushCredentials(Provider.NOT_CONFIGURED, Provider.NOT_CONFIGURED,
            Provider.NOT_CONFIGURED, Provider.NOT_CONFIGURED);

    /** One provider's credentials: {@code values} stay in memory only (never serialized). */
    @Serdeable
    public record Provider(boolean configured, String fingerprint, @JsonIgnore Map<String, Object> values) {
        static final Provider NOT_CONFIGURED = new Provider(false, null, Map.of());

        public String value(String key) {
            Object v = values.get(key);
            return v == null ? null : v.toString();
        }
    }

    /** The provider named as device tokens name it (FCM, APNS, ONESIGNAL, WEBPUSH). */
    public Provider forTokenProvider(String provider) {
        return switch (provider) {
            case "FCM" -> fcm;
            case "APNS" -> apns;
            case "ONESIGNAL" -> onesignal;
            case "WEBPUSH" -> webpush;
            default -> Provider.NOT_CONFIGURED;
        };
    }

    /** The shape of {@code push} in the settings document: every key known, nothing configured. */
    public static Map<String, Object> shape() {
        Map<String, Object> push = new LinkedHashMap<>();
        for (String provider : List.of("fcm", "apns", "onesignal", "webpush")) {
            Map<String, Object> fields = new LinkedHashMap<>();
            FIELDS.get(provider).forEach(f -> fields.put(f, null));
            push.put(provider, fields);
        }
        return push;
    }

    /** Reads {@code push} of a merged settings document; every problem lands in {@code v} as {@code push.x.y}. */
    @SuppressWarnings("unchecked")
    public static PushCredentials parse(Object group, Violations v) {
        Map<String, Object> push = group instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        return new PushCredentials(provider(push, "fcm", v), provider(push, "apns", v), provider(push, "onesignal", v),
                provider(push, "webpush", v));
    }

    @SuppressWarnings("unchecked")
    private static Provider provider(Map<String, Object> push, String name, Violations v) {
        Map<String, Object> given = push.get(name) instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        Map<String, Object> values = new TreeMap<>();
        given.forEach((key, value) -> {
            if (value != null) {
                values.put(key, value);
            }
        });
        if (values.isEmpty()) {
            return Provider.NOT_CONFIGURED;
        }
        String prefix = "push." + name + ".";
        for (String field : FIELDS.get(name)) {
            Object value = values.get(field);
            if (field.equals("production")) {
                v.check(value == null || value instanceof Boolean, prefix + field, "must be true or false");
                continue;
            }
            boolean ok = value instanceof String s && !s.isBlank() && s.length() <= MAX_VALUE_CHARS;
            v.check(ok, prefix + field, "is required (a string of at most " + MAX_VALUE_CHARS + " characters)");
        }
        if (!v.isEmpty()) {
            return Provider.NOT_CONFIGURED;
        }
        switch (name) {
            case "fcm" -> v.check(serviceAccount(values.get("serviceAccountJson").toString()) != null,
                    prefix + "serviceAccountJson", "must be a service-account key file (JSON with project_id, client_email, private_key)");
            case "apns" -> {
                v.check(values.get("teamId").toString().matches("[A-Z0-9]{10}"), prefix + "teamId", "must be the 10-character team id");
                v.check(values.get("keyId").toString().matches("[A-Z0-9]{10}"), prefix + "keyId", "must be the 10-character key id");
                v.check(ApnsProvider.signingKey(values.get("privateKey").toString()) != null, prefix + "privateKey",
                        "must be the .p8 key (PEM, an EC P-256 private key)");
            }
            case "webpush" -> {
                v.check(base64UrlLength(values.get("vapidPublicKey").toString()) == 65, prefix + "vapidPublicKey",
                        "must be the uncompressed P-256 public key, base64url (65 bytes)");
                v.check(base64UrlLength(values.get("vapidPrivateKey").toString()) == 32, prefix + "vapidPrivateKey",
                        "must be the raw P-256 private key, base64url (32 bytes)");
                String subject = values.get("subject").toString();
                v.check(subject.startsWith("mailto:") || subject.startsWith("https://"), prefix + "subject",
                        "must be a mailto: or https: URL");
            }
            default -> {
            }
        }
        values.keySet().retainAll(FIELDS.get(name));
        return new Provider(true, fingerprint(values), Map.copyOf(values));
    }

    /** Identifies the secret without revealing it: the same credentials always show the same fingerprint. */
    static String fingerprint(Map<String, Object> values) {
        StringBuilder canonical = new StringBuilder();
        new TreeMap<>(values).forEach((k, val) -> canonical.append(k).append('=').append(val).append('\n'));
        return "sha256:" + Secrets.sha256(canonical.toString()).substring(0, 16);
    }

    static ServiceAccountCredentials serviceAccount(String json) {
        try {
            ServiceAccountCredentials credentials = ServiceAccountCredentials.fromStream(
                    new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
            return credentials.getProjectId() == null ? null : credentials;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static int base64UrlLength(String value) {
        try {
            return Base64.getUrlDecoder().decode(value.replace("=", "")).length;
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }
}
