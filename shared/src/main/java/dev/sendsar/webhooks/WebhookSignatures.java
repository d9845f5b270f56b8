package dev.sendsar.webhooks;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.List;

/**
 * The two signatures of §7. Both are HMAC-SHA256 keyed with the UTF-8 bytes of the whole secret string
 * ({@code whsec_…}, prefix included), as the seed's verification code does:
 * <ul>
 *   <li>{@code X-Webhook-Signature: sha256=<hex HMAC(raw body)>} (seed-compatible; current secret only);</li>
 *   <li>{@code X-Webhook-Signature-V2: t=<ts>,v1=<hex HMAC(ts + "." + raw body)>[,v1=…]}: replay-safe, one
 *       {@code v1} per live secret (the previous one for 24 h after a rotation).</li>
 * </ul>
 */
public final class WebhookSignatures {
    private WebhookSignatures() {
    }

    public static String seedHeader(String secret, String body) {
        return "sha256=" + hmacHex(secret, body);
    }

    public static String v2Header(List<String> secrets, long timestamp, String body) {
        StringBuilder header = new StringBuilder("t=").append(timestamp);
        for (String secret : secrets) {
            header.append(",v1=").append(hmacHex(secret, timestamp + "." + body));
        }
        return header.toString();
    }

    static String hmacHex(String secret, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
