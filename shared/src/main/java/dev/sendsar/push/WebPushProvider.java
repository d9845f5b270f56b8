package dev.sendsar.push;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.zerodeplibs.webpush.PushSubscription;
import com.zerodeplibs.webpush.VAPIDKeyPair;
import com.zerodeplibs.webpush.VAPIDKeyPairs;
import com.zerodeplibs.webpush.httpclient.StandardHttpClientRequestPreparer;
import com.zerodeplibs.webpush.key.PrivateKeySources;
import com.zerodeplibs.webpush.key.PublicKeySources;
import dev.sendsar.domain.DeviceToken;
import dev.sendsar.error.ApiException;
import dev.sendsar.json.Json;
import dev.sendsar.webhooks.UrlGuard;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigInteger;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPrivateKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Web Push (RFC 8030) with VAPID (RFC 8292) and aes128gcm payload encryption (RFC 8291). The device token is the
 * browser's {@code PushSubscription} JSON; the request goes to its endpoint, the browser vendor's push service, once
 * the SSRF guard has passed it.
 */
@Singleton
public class WebPushProvider implements PushProvider {
    private static final Logger LOG = LoggerFactory.getLogger(WebPushProvider.class);

    private final HttpClient http;
    private final Json json;
    private final UrlGuard guard;
    private final Cache<String, VAPIDKeyPair> keyPairs = Caffeine.newBuilder().maximumSize(1_000)
            .expireAfterAccess(Duration.ofHours(2)).build();

    public WebPushProvider(@Named("push") HttpClient http, Json json, UrlGuard guard) {
        this.http = http;
        this.json = json;
        this.guard = guard;
    }

    @Override
    public String tokenProvider() {
        return "WEBPUSH";
    }

    @Override
    public Outcome send(PushCredentials.Provider provider, DeviceToken token, Notification notification) {
        WebPushSubscription parsed = WebPushSubscription.parse(json, token.token());
        if (parsed == null) {
            // Not a subscription we can ever post to: the token is useless.
            return Outcome.DEAD_TOKEN;
        }
        try {
            // Checked at registration; again now, since the endpoint's DNS may have changed since.
            guard.check(parsed.endpoint(), UrlGuard.Target.WEB_PUSH);
        } catch (ApiException refused) {
            LOG.warn("Web Push endpoint of a device token refused: {}", refused.getMessage());
            return Outcome.REJECTED;
        }
        PushSubscription subscription = new PushSubscription();
        subscription.setEndpoint(parsed.endpoint());
        PushSubscription.Keys keys = new PushSubscription.Keys();
        keys.setP256dh(parsed.p256dh());
        keys.setAuth(parsed.auth());
        subscription.setKeys(keys);
        VAPIDKeyPair keyPair = keyPairs.get(provider.fingerprint(), k -> keyPair(provider));
        if (keyPair == null) {
            return Outcome.REJECTED;
        }
        HttpRequest request;
        try {
            request = StandardHttpClientRequestPreparer.getBuilder()
                    .pushSubscription(subscription)
                    .vapidJWTExpiresAfter(12, TimeUnit.HOURS)
                    .vapidJWTSubject(provider.value("subject"))
                    .pushMessage(json.write(Map.of("title", notification.title(), "body", notification.body(),
                            "data", notification.data(), "badge", notification.badge())))
                    .ttl(1, TimeUnit.DAYS)
                    .urgencyHigh()
                    .build(keyPair)
                    .toRequestBuilder().timeout(PushHttp.REQUEST_TIMEOUT).build();
        } catch (RuntimeException badKeys) {
            // The subscription's keys are not a P-256 point and auth secret: no message can be encrypted for it.
            return Outcome.DEAD_TOKEN;
        }
        return PushHttp.exchange(http, request, response -> {
            int status = response.statusCode();
            return status == 404 || status == 410 ? Outcome.DEAD_TOKEN : PushProvider.byStatus(status);
        });
    }

    private static VAPIDKeyPair keyPair(PushCredentials.Provider provider) {
        try {
            byte[] d = Base64.getUrlDecoder().decode(provider.value("vapidPrivateKey").replace("=", ""));
            AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
            params.init(new ECGenParameterSpec("secp256r1"));
            ECPrivateKey privateKey = (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(
                    new ECPrivateKeySpec(new BigInteger(1, d), params.getParameterSpec(ECParameterSpec.class)));
            byte[] publicKey = Base64.getUrlDecoder().decode(provider.value("vapidPublicKey").replace("=", ""));
            return VAPIDKeyPairs.of(PrivateKeySources.ofECPrivateKey(privateKey), PublicKeySources.ofUncompressedBytes(publicKey));
        } catch (GeneralSecurityException | RuntimeException e) {
            return null;
        }
    }
}
