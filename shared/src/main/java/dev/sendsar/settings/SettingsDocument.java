package dev.sendsar.settings;

import dev.sendsar.error.Violations;
import dev.sendsar.push.PushCredentials;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Settings as JSON documents: the known keys (the shape of the defaults), the deep merge a PATCH does, and the
 * validation that turns a merged document into {@link TenantSettings}, naming each bad field as {@code chat.media.x}.
 */
final class SettingsDocument {
    /** {@code type/subtype} or {@code type/*}, as RFC 6838 allows the names. */
    static final Pattern MIME = Pattern.compile("[a-z0-9][a-z0-9!#$&^_.+-]{0,126}/([a-z0-9][a-z0-9!#$&^_.+-]{0,126}|\\*)");
    static final int MAX_MIME_TYPES = 100;
    /** A single PUT to S3 takes at most 5 GiB. */
    static final long MAX_FILE_SIZE = 5L * 1024 * 1024 * 1024;
    static final int MAX_RATE = 10_000;

    private SettingsDocument() {
    }

    static Map<String, Object> toMap(TenantSettings s) {
        Map<String, Object> media = new LinkedHashMap<>();
        media.put("enabled", s.chat().media().enabled());
        media.put("maxFileSizeBytes", s.chat().media().maxFileSizeBytes());
        media.put("allowedMimeTypes", s.chat().media().allowedMimeTypes());
        media.put("presignTtlSeconds", s.chat().media().presignTtlSeconds());
        Map<String, Object> rates = new LinkedHashMap<>();
        rates.put("sendMessage", s.chat().rateLimits().sendMessage());
        rates.put("typing", s.chat().rateLimits().typing());
        rates.put("joinRoom", s.chat().rateLimits().joinRoom());
        rates.put("uploadPresign", s.chat().rateLimits().uploadPresign());
        rates.put("messageActions", s.chat().rateLimits().messageActions());
        rates.put("receipts", s.chat().rateLimits().receipts());
        rates.put("otherWrites", s.chat().rateLimits().otherWrites());
        Map<String, Object> chat = new LinkedHashMap<>();
        chat.put("deletedMessageDisplay", s.chat().deletedMessageDisplay());
        chat.put("media", media);
        chat.put("rateLimits", rates);
        Map<String, Object> calls = new LinkedHashMap<>();
        calls.put("enabled", s.calls().enabled());
        calls.put("maxParticipants", s.calls().maxParticipants());
        calls.put("ringTimeoutSeconds", s.calls().ringTimeoutSeconds());
        calls.put("defaultType", s.calls().defaultType());
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("chat", chat);
        root.put("calls", calls);
        // Credentials are never read back into a document: only their shape, so PATCH knows the keys.
        root.put("push", PushCredentials.shape());
        return root;
    }

    /** Every key of {@code patch} must be a known one; a group (an object in the defaults) takes only an object or null. */
    @SuppressWarnings("unchecked")
    static void checkKeys(Map<String, Object> patch, Map<String, Object> shape, String prefix, Violations v) {
        patch.forEach((key, value) -> {
            String field = prefix + key;
            if (!shape.containsKey(key)) {
                v.check(false, field, "is not a known setting");
            } else if (shape.get(key) instanceof Map<?, ?> group) {
                if (value instanceof Map<?, ?> sub) {
                    checkKeys((Map<String, Object>) sub, (Map<String, Object>) group, field + ".", v);
                } else {
                    v.check(value == null, field, "must be an object");
                }
            }
        });
    }

    /**
     * A JSON merge patch (RFC 7386): objects merge key by key, {@code null} removes a key (back to its default),
     * anything else, lists included, replaces. Neither argument is changed.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> patch) {
        Map<String, Object> out = new LinkedHashMap<>(base);
        patch.forEach((key, value) -> {
            if (value == null) {
                out.remove(key);
            } else if (value instanceof Map<?, ?> sub) {
                Object old = out.get(key);
                out.put(key, merge(old instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of(), (Map<String, Object>) sub));
            } else {
                out.put(key, value);
            }
        });
        return out;
    }

    /** Reads a complete document (defaults merged with overrides); every problem lands in {@code v}. */
    static TenantSettings parse(Map<String, Object> doc, Violations v) {
        Map<String, Object> chat = group(doc, "chat");
        Map<String, Object> media = group(chat, "media");
        Map<String, Object> rates = group(chat, "rateLimits");
        Map<String, Object> calls = group(doc, "calls");
        TenantSettings.Media m = new TenantSettings.Media(
                bool(media, "enabled", "chat.media.enabled", v),
                integer(media, "maxFileSizeBytes", "chat.media.maxFileSizeBytes", 1, MAX_FILE_SIZE, v),
                mimeTypes(media.get("allowedMimeTypes"), "chat.media.allowedMimeTypes", v),
                (int) integer(media, "presignTtlSeconds", "chat.media.presignTtlSeconds", 60, 3600, v));
        TenantSettings.RateLimits r = new TenantSettings.RateLimits(
                (int) integer(rates, "sendMessage", "chat.rateLimits.sendMessage", 1, MAX_RATE, v),
                (int) integer(rates, "typing", "chat.rateLimits.typing", 1, MAX_RATE, v),
                (int) integer(rates, "joinRoom", "chat.rateLimits.joinRoom", 1, MAX_RATE, v),
                (int) integer(rates, "uploadPresign", "chat.rateLimits.uploadPresign", 1, MAX_RATE, v),
                (int) integer(rates, "messageActions", "chat.rateLimits.messageActions", 1, MAX_RATE, v),
                (int) integer(rates, "receipts", "chat.rateLimits.receipts", 1, MAX_RATE, v),
                (int) integer(rates, "otherWrites", "chat.rateLimits.otherWrites", 1, MAX_RATE, v));
        TenantSettings.Chat c = new TenantSettings.Chat(
                oneOf(chat, "deletedMessageDisplay", "chat.deletedMessageDisplay", v, TenantSettings.PLACEHOLDER, TenantSettings.HIDDEN),
                m, r);
        TenantSettings.Calls k = new TenantSettings.Calls(
                bool(calls, "enabled", "calls.enabled", v),
                (int) integer(calls, "maxParticipants", "calls.maxParticipants", 2, 32, v),
                (int) integer(calls, "ringTimeoutSeconds", "calls.ringTimeoutSeconds", 15, 120, v),
                oneOf(calls, "defaultType", "calls.defaultType", v, "audio", "video"));
        return new TenantSettings(c, k, PushCredentials.parse(doc.get("push")));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> group(Map<String, Object> doc, String key) {
        return doc.get(key) instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static boolean bool(Map<String, Object> g, String key, String field, Violations v) {
        Object value = g.get(key);
        v.check(value instanceof Boolean, field, "must be true or false");
        return Boolean.TRUE.equals(value);
    }

    private static long integer(Map<String, Object> g, String key, String field, long min, long max, Violations v) {
        Object value = g.get(key);
        Long n = null;
        if (value instanceof Number number) {
            BigDecimal d = new BigDecimal(number.toString());
            if (d.stripTrailingZeros().scale() <= 0 && d.compareTo(BigDecimal.valueOf(min)) >= 0
                    && d.compareTo(BigDecimal.valueOf(max)) <= 0) {
                n = d.longValueExact();
            }
        }
        v.check(n != null, field, "must be an integer from " + min + " to " + max);
        return n == null ? min : n;
    }

    private static String oneOf(Map<String, Object> g, String key, String field, Violations v, String... allowed) {
        Object value = g.get(key);
        boolean ok = value instanceof String s && List.of(allowed).contains(s);
        v.check(ok, field, "must be one of " + String.join(", ", allowed));
        return ok ? (String) value : allowed[0];
    }

    private static List<String> mimeTypes(Object value, String field, Violations v) {
        if (!(value instanceof List<?> list) || list.size() > MAX_MIME_TYPES) {
            v.check(false, field, "must be a list of at most " + MAX_MIME_TYPES + " media types");
            return List.of();
        }
        List<String> types = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            Object item = list.get(i);
            boolean ok = item instanceof String s && MIME.matcher(s.toLowerCase(java.util.Locale.ROOT)).matches();
            v.check(ok, field + "[" + i + "]", "must be a media type like image/png or image/*");
            if (ok) {
                types.add(((String) item).toLowerCase(java.util.Locale.ROOT));
            }
        }
        return List.copyOf(types);
    }
}
