package dev.sendsar.service;

import dev.sendsar.domain.Caller;
import dev.sendsar.domain.DeviceToken;
import dev.sendsar.error.ApiException;
import dev.sendsar.error.ErrorCode;
import dev.sendsar.fakes.Services;
import dev.sendsar.fakes.TestWebhookOptions;
import dev.sendsar.ports.UserRepository;
import dev.sendsar.webhooks.UrlGuard;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeviceTokenServiceTest {
    private static final String T = "t1";
    private static final String SUBSCRIPTION = "{\"endpoint\":\"%s\",\"keys\":{\"p256dh\":\"BNc\",\"auth\":\"x\"}}";
    private final Services services = new Services();
    private final Caller bob = Caller.user(T, "bob");

    private DeviceTokenService tokens(boolean allowLoopback) {
        return new DeviceTokenService(services.store.deviceTokenRepository, services.store.userRepository, services.rateLimits,
                new UrlGuard(new TestWebhookOptions(TestWebhookOptions.SECRET_KEY, allowLoopback)), services.json);
    }

    @BeforeEach
    void user() {
        services.store.userRepository.upsert(T, "bob", new UserRepository.UserFields("Bob", null, null, null));
    }

    @Test
    void aUserKeepsTwentyTokens_theOldestIsEvicted() {
        // saved out of order: eviction goes by createdAt, not by insertion
        for (int i = 0; i < 20; i++) {
            int second = (i * 7) % 20;
            services.store.deviceTokenRepository.save(T, "bob", new DeviceToken("old-" + second, "FCM", "old-" + second,
                    null, String.format("2026-01-01T00:00:%02d.000Z", second)));
        }
        DeviceToken added = tokens(false).register(bob, null, new DeviceTokenService.RegisterRequest("FCM", "new", "android"));

        List<String> kept = services.store.deviceTokenRepository.ofUser(T, "bob").stream().map(DeviceToken::id).toList();
        assertEquals(20, kept.size());
        assertFalse(kept.contains("old-0"), "the oldest is gone");
        assertTrue(kept.contains("old-1") && kept.contains(added.id()));
    }

    @Test
    void webPushEndpoints_arePublicHttps_loopbackOnlyWhereTheLocalRuntimeAllowsIt() {
        for (String endpoint : List.of("https://127.0.0.1:8443/push", "http://fcm.googleapis.com/fcm/send/x",
                "https://169.254.169.254/latest", "https://10.1.2.3/push", "https://[::1]/push")) {
            ApiException refused = assertThrows(ApiException.class, () -> tokens(false).register(bob, null,
                    new DeviceTokenService.RegisterRequest("WEBPUSH", SUBSCRIPTION.formatted(endpoint), "web")), endpoint);
            assertEquals(ErrorCode.INVALID_PUSH_ENDPOINT, refused.errorCode(), endpoint);
        }
        assertTrue(services.store.deviceTokenRepository.ofUser(T, "bob").isEmpty());

        tokens(true).register(bob, null, new DeviceTokenService.RegisterRequest("WEBPUSH",
                SUBSCRIPTION.formatted("https://127.0.0.1:8443/push"), "web"));
        assertEquals(1, services.store.deviceTokenRepository.ofUser(T, "bob").size());

        ApiException notJson = assertThrows(ApiException.class, () -> tokens(true).register(bob, null,
                new DeviceTokenService.RegisterRequest("WEBPUSH", "not a subscription", "web")));
        assertEquals(ErrorCode.VALIDATION_FAILED, notJson.errorCode());
    }
}
