package dev.sendsar.local;

import dev.sendsar.ports.DeviceTokenRepository;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Push tokens: clients register their own, the server anyone's; registering twice keeps one. */
class DeviceTokensTest {
    private final LocalStack stack = TestStack.get();

    @Test
    void tokens_areRegisteredOncePerDeviceAndRemovedByTheirOwner() {
        Api server = Api.newTenant(stack);
        Api alice = Api.withToken(stack, server.tokenFor("alice"));
        server.tokenFor("bob");
        DeviceTokenRepository tokens = stack.context().getBean(DeviceTokenRepository.class);
        String tenantId = Api.tenantOf(alice.credential().substring("Bearer ".length()));

        Api.Response own = alice.post("/users/me/device-tokens", "{\"provider\":\"FCM\",\"token\":\"fcm-abc\",\"platform\":\"android\"}");
        assertEquals(201, own.status(), own.raw().body());
        assertEquals("fcm-abc", own.body().path("token").asText());
        assertEquals(own.body().path("id"), alice.post("/users/me/device-tokens",
                "{\"provider\":\"FCM\",\"token\":\"fcm-abc\",\"platform\":\"android\"}").body().path("id"));
        assertEquals(1, tokens.ofUser(tenantId, "alice").size());

        assertEquals(201, server.post("/users/bob/device-tokens", "{\"provider\":\"APNS\",\"token\":\"apns-1\"}").status());
        assertEquals(1, tokens.ofUser(tenantId, "bob").size());
        assertEquals("user_not_found", server.post("/users/ghost/device-tokens", "{\"provider\":\"APNS\",\"token\":\"x\"}").code());
        assertEquals("validation_failed", alice.post("/users/me/device-tokens", "{\"provider\":\"SMOKE\",\"token\":\"\"}").code());
        assertEquals(403, alice.post("/users/bob/device-tokens", "{\"provider\":\"APNS\",\"token\":\"x\"}").status());
        assertEquals(403, server.post("/users/me/device-tokens", "{\"provider\":\"APNS\",\"token\":\"x\"}").status());

        assertEquals(204, alice.delete("/users/me/device-tokens/fcm-abc").status());
        assertEquals(204, alice.delete("/users/me/device-tokens/fcm-abc").status());
        assertFalse(tokens.ofUser(tenantId, "alice").stream().anyMatch(t -> t.token().equals("fcm-abc")));
    }

    @Test
    void aUserKeepsTwentyTokens_registeringAnotherEvictsTheOldest() throws InterruptedException {
        Api server = Api.newTenant(stack);
        String token = server.tokenFor("gus");
        String tenantId = Api.tenantOf(token);
        for (int i = 0; i < 21; i++) {
            assertEquals(201, server.post("/users/gus/device-tokens", "{\"provider\":\"FCM\",\"token\":\"fcm-gus-" + i + "\"}").status());
            Thread.sleep(2); // distinct createdAt, so "oldest" is well defined
        }
        java.util.List<String> kept = stack.context().getBean(DeviceTokenRepository.class).ofUser(tenantId, "gus").stream()
                .map(dev.sendsar.domain.DeviceToken::token).toList();
        assertEquals(20, kept.size());
        assertFalse(kept.contains("fcm-gus-0"), "the oldest token is evicted");
        assertTrue(kept.contains("fcm-gus-20"));
    }
}
