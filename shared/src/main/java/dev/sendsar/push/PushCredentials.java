package dev.sendsar.push;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.google.auth.oauth2.ServiceAccountCredentials;
import dev.sendsar.auth.Secrets;
import dev.sendsar.error.Violations;
import dev.sendsar.json.Json;
import dev.sendsar.webhooks.SecretBox;
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
 * whether each provider is configured and a fingerprint of its secret. At rest each provider is stored as
 * {@code {sealed, fingerprint}}: its fields as JSON sealed with the {@link SecretBox} of webhook secrets, so the
 * control-plane row holds no usable secret; only the push worker opens them ({@link Provider#open}).
 */
@Serdeable
public record PushCredentials(Provider fcm, Provider apns, Provider onesignal, Provider webpush) {
    static final int MAX_VALUE_CHARS = 16 * 1024;
    static final String SEALED = "sealed";
    static final String FINGERPRINT = "fingerprint";

    /** The fields of each provider, in the order of the contract; every field is required unless listed optional. */
    static final Map<String, List<String>> FIELDS = Map.of(
            "fcm", List.of("serviceAccountJson"),
            "apns", List.of("teamId", "keyId", "privateKey", "bundleId", "production"),
            "onesignal", List.of("appId", "apiKey"),
            "webpush", List.of("vapidPublicKey", "vapidPrivateKey", "subject"));
    private static final List<String> PROVIDERS = List.of("fcm", "apns", "onesignal", "webpush");

    public static final PushCredentials NONE = new PushCredentials(Provider.NOT_CONFIGURED, Provider.NOT_CONFIGURED,
            Provider.NOT_CONFIGURED, Provider.NOT_CONFIGURED);

    /**
     * One provider's credentials as settings hold them: {@code sealed} until {@link #open} gives the {@code values}.
     * Neither is ever serialized.
     */
    @Serdeable
    public record Provider(boolean configured, String fingerprint, @JsonIgnore String sealed,
                           @JsonIgnore Map<String, Object> values) {
        static final Provider NOT_CONFIGURED = new Provider(false, null, null, Map.of());

        public String value(String key) {
            Object v = values.get(key);
            return v == null ? null : v.toString();
        }

        /** The same credentials with their values readable; throws when the box's key cannot open them. */
        public Provider open(SecretBox box, Json json) {
            return configured ? new Provider(true, fingerprint, sealed, Map.copyOf(json.readMap(box.open(sealed)))) : this;
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
        for (String provider : PROVIDERS) {
            Map<String, Object> fields = new LinkedHashMap<>();
            FIELDS.get(provider).forEach(f -> fields.put(f, null));
            push.put(provider, fields);
        }
        return push;
    }

    /**
     * Turns the {@code push} group of a settings PATCH into what is stored: each provider given as an object is
     * validated whole (its credentials are write-only, so they are replaced, never merged into values nobody can read)
     * and sealed; a provider given as {@code null} (or with no field set) is removed. Problems land in {@code v} as
     * {@code push.x.y}. Keys are known already ({@code SettingsDocument.checkKeys}).
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> seal(Map<String, Object> push, SecretBox box, Json json, Violations v) {
        Map<String, Object> stored = new LinkedHashMap<>();
        push.forEach((name, given) -> {
            Map<String, Object> values = new TreeMap<>();
            if (given instanceof Map<?, ?> fields) {
                ((Map<String, Object>) fields).forEach((key, value) -> {
                    if (value != null) {
                        values.put(key, value);
                    }
                });
            }
            if (values.isEmpty()) {
                stored.put(name, null);
            } else if (valid(name, values, v)) {
                Map<String, Object> sealed = new LinkedHashMap<>();
                // nulls clear any field a pre-encryption row kept in plain text
                FIELDS.get(name).forEach(field -> sealed.put(field, null));
                sealed.put(SEALED, box.seal(json.write(values)));
                sealed.put(FINGERPRINT, fingerprint(values));
                stored.put(name, sealed);
            }
        });
        return stored;
    }

    /** Reads {@code push} of a merged stored settings document; only sealed providers count as configured. */
    @SuppressWarnings("unchecked")
    public static PushCredentials parse(Object group) {
        Map<String, Object> push = group instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        List<Provider> providers = PROVIDERS.stream().map(name -> push.get(name) instanceof Map<?, ?> stored
                && stored.get(SEALED) instanceof String sealed && stored.get(FINGERPRINT) instanceof String fingerprint
                ? new Provider(true, fingerprint, sealed, Map.of()) : Provider.NOT_CONFIGURED).toList();
        return new PushCredentials(providers.get(0), providers.get(1), providers.get(2), providers.get(3));
    }

    private static boolean valid(String name, Map<String, Object> values, Violations v) {
        String prefix = "push." + name + ".";
        boolean ok = true;
        for (String field : FIELDS.get(name)) {
            Object value = values.get(field);
            if (field.equals("production")) {
                ok &= check(v, value == null || value instanceof Boolean, prefix + field, "must be true or false");
                continue;
            }
            ok &= check(v, value instanceof String s && !s.isBlank() && s.length() <= MAX_VALUE_CHARS, prefix + field,
                    "is required (a string of at most " + MAX_VALUE_CHARS + " characters)");
        }
        if (!ok) {
            return false;
        }
        switch (name) {
            case "fcm" -> ok = check(v, serviceAccount(values.get("serviceAccountJson").toString()) != null,
                    prefix + "serviceAccountJson", "must be a service-account key file (JSON with project_id, client_email, private_key)");
            case "apns" -> {
                ok = check(v, values.get("teamId").toString().matches("[A-Z0-9]{10}"), prefix + "teamId", "must be the 10-character team id");
                ok &= check(v, values.get("keyId").toString().matches("[A-Z0-9]{10}"), prefix + "keyId", "must be the 10-character key id");
                ok &= check(v, ApnsProvider.signingKey(values.get("privateKey").toString()) != null, prefix + "privateKey",
                        "must be the .p8 key (PEM, an EC P-256 private key)");
            }
            case "webpush" -> {
                ok = check(v, base64UrlLength(values.get("vapidPublicKey").toString()) == 65, prefix + "vapidPublicKey",
                        "must be the uncompressed P-256 public key, base64url (65 bytes)");
                ok &= check(v, base64UrlLength(values.get("vapidPrivateKey").toString()) == 32, prefix + "vapidPrivateKey",
                        "must be the raw P-256 private key, base64url (32 bytes)");
                String subject = values.get("subject").toString();
                ok &= check(v, subject.startsWith("mailto:") || subject.startsWith("https://"), prefix + "subject",
                        "must be a mailto: or https: URL");
            }
            default -> {
            }
        }
        return ok;
    }

    private static boolean check(Violations v, boolean ok, String field, String message) {
        v.check(ok, field, message);
        return ok;
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
