package dev.sendsar.push;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.sendsar.config.SendsarConfig;
import dev.sendsar.domain.DeviceToken;
import dev.sendsar.json.Json;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * APNs with token auth over HTTP/2: an ES256 provider token signed with the tenant's .p8 key, reused for 50 minutes
 * (Apple refuses tokens older than an hour and throttles ones renewed more often than every 20 minutes).
 */
@Singleton
public class ApnsProvider implements PushProvider {
    static final Duration PROVIDER_TOKEN_LIFETIME = Duration.ofMinutes(50);
    static final String PRODUCTION = "https://api.push.apple.com";
    static final String SANDBOX = "https://api.sandbox.push.apple.com";
    /** 400 reasons that mean the token itself is wrong for this app, whatever is retried. */
    private static final Set<String> DEAD_REASONS = Set.of("BadDeviceToken", "Unregistered", "DeviceTokenNotForTopic");

    private final HttpClient http;
    private final Json json;
    private final String baseUrl;
    private final Cache<String, String> providerTokens = Caffeine.newBuilder().maximumSize(1_000)
            .expireAfterWrite(PROVIDER_TOKEN_LIFETIME).build();

    public ApnsProvider(@Named("push") HttpClient http, Json json, SendsarConfig config) {
        this.http = http;
        this.json = json;
        this.baseUrl = config.getApnsUrl();
    }

    @Override
    public String tokenProvider() {
        return "APNS";
    }

    @Override
    public Outcome send(PushCredentials.Provider provider, DeviceToken token, Notification notification) {
        String providerToken = providerTokens.get(provider.fingerprint(), k -> sign(provider));
        if (providerToken == null) {
            return Outcome.REJECTED;
        }
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("aps", Map.of("alert", Map.of("title", notification.title(), "body", notification.body()),
                "badge", notification.badge(), "sound", "default"));
        payload.putAll(notification.data());
        String base = baseUrl != null ? baseUrl : Boolean.TRUE.equals(provider.values().get("production")) ? PRODUCTION : SANDBOX;
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/3/device/" + URLEncoder.encode(token.token(), StandardCharsets.UTF_8)))
                .timeout(PushHttp.REQUEST_TIMEOUT)
                .header("authorization", "bearer " + providerToken)
                .header("apns-topic", provider.value("bundleId"))
                .header("apns-push-type", "alert")
                .header("apns-priority", "10")
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.write(payload))).build();
        return PushHttp.exchange(http, request, response -> {
            int status = response.statusCode();
            String reason = reason(response.body());
            if (status == 410 || (status == 400 && DEAD_REASONS.contains(reason))) {
                return Outcome.DEAD_TOKEN;
            }
            if (status == 403 && "ExpiredProviderToken".equals(reason)) {
                providerTokens.invalidate(provider.fingerprint());
                return Outcome.RETRY;
            }
            return PushProvider.byStatus(status);
        });
    }

    private String reason(String body) {
        try {
            Object reason = body == null || body.isBlank() ? null : json.readMap(body).get("reason");
            return reason == null ? null : reason.toString();
        } catch (RuntimeException notJson) {
            return null;
        }
    }

    private static String sign(PushCredentials.Provider provider) {
        ECPrivateKey key = signingKey(provider.value("privateKey"));
        if (key == null) {
            return null;
        }
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(provider.value("keyId")).build(),
                    new JWTClaimsSet.Builder().issuer(provider.value("teamId")).issueTime(new Date()).build());
            jwt.sign(new ECDSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            return null;
        }
    }

    /** The .p8 file's key (PKCS#8 PEM, EC P-256), or null when it is not one. */
    static ECPrivateKey signingKey(String pem) {
        try {
            String base64 = pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
            return (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
            return null;
        }
    }
}
