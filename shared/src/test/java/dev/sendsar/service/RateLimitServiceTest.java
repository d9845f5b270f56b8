package dev.sendsar.service;

import dev.sendsar.domain.Caller;
import dev.sendsar.domain.RateLimitedAction;
import dev.sendsar.error.ApiException;
import dev.sendsar.fakes.InMemoryStore;
import dev.sendsar.fakes.InMemoryTenantDirectory;
import dev.sendsar.fakes.TestConfig;
import dev.sendsar.json.Json;
import dev.sendsar.ports.RateLimiter;
import dev.sendsar.ports.TenantDirectory;
import dev.sendsar.settings.TenantSettingsService;
import io.micronaut.json.JsonMapper;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class RateLimitServiceTest {
    private static final String T = "t1";
    private final InMemoryStore store = new InMemoryStore();
    private final InMemoryTenantDirectory directory = new InMemoryTenantDirectory();
    private final TenantSettingsService settings = new TenantSettingsService(directory,
            new Json(JsonMapper.createDefault()), dev.sendsar.fakes.TestWebhookOptions.box(), new TestConfig("t", null, null));
    private final RateLimitService limits = new RateLimitService(store.rateLimiter, settings, new TestConfig("t", null, null));

    @Test
    void check_overTheTenantsLimit_is429WithTheSecondsLeftInTheWindow() {
        directory.createTenant(new TenantDirectory.Tenant(T, "T", true, "2026-01-01T00:00:00.000Z"));
        settings.patch(Caller.apiKey(T, "test-key"), Map.of("chat", Map.of("rateLimits", Map.of("joinRoom", 2))));

        limits.check(T, "alice", RateLimitedAction.JOIN_ROOM);
        limits.check(T, "alice", RateLimitedAction.JOIN_ROOM);
        ApiException e = assertThrows(ApiException.class, () -> limits.check(T, "alice", RateLimitedAction.JOIN_ROOM));

        assertEquals(429, e.status());
        assertEquals("rate_limited", e.code());
        assertTrue(e.retryAfterSeconds() >= 1 && e.retryAfterSeconds() <= 60);
        assertDoesNotThrow(() -> limits.check(T, "bob", RateLimitedAction.JOIN_ROOM), "per user");
        assertDoesNotThrow(() -> limits.check(T, "alice", RateLimitedAction.TYPING), "per action");
    }

    @Test
    void aUsedUpWindow_isRefusedFromMemory_withoutAnotherCountingWrite() {
        java.util.concurrent.atomic.AtomicInteger writes = new java.util.concurrent.atomic.AtomicInteger();
        RateLimiter counting = (tenantId, userId, action, limit, wanted, now) -> {
            writes.incrementAndGet();
            return store.rateLimiter.reserve(tenantId, userId, action, limit, wanted, now);
        };
        RateLimitService limited = new RateLimitService(counting, settings, new TestConfig("t", null, null));
        ApiException refused = null;
        // a minute may roll over between two uses: try until one is refused
        for (int i = 0; i < 4 && refused == null; i++) {
            try {
                limited.check(T, "alice", RateLimitedAction.TYPING, 1);
            } catch (ApiException e) {
                refused = e;
            }
        }
        assertEquals(429, refused == null ? 0 : refused.status());
        int before = writes.get();
        long window = RateLimiter.windowStart(Instant.now());
        ApiException again = null;
        try {
            limited.check(T, "alice", RateLimitedAction.TYPING, 1);
        } catch (ApiException e) {
            again = e;
        }
        assumeTrue(window == RateLimiter.windowStart(Instant.now()), "a new minute began between the two uses");
        assertEquals(429, again == null ? 0 : again.status());
        assertTrue(again.retryAfterSeconds() >= 1 && again.retryAfterSeconds() <= 60);
        assertEquals(before, writes.get(), "a refusal from memory writes nothing");
        assertDoesNotThrow(() -> limited.check(T, "bob", RateLimitedAction.TYPING, 1), "per user");
        assertDoesNotThrow(() -> limited.check(T, "alice", RateLimitedAction.JOIN_ROOM, 1), "per action");
    }

    @Test
    void writesByAnApiKey_countAgainstOneTenantWideBudget_notAgainstTheUsersTheyName() {
        RateLimitService small = new RateLimitService(store.rateLimiter, settings, new TestConfig("t", null, null, 3));
        small.check(Caller.apiKey(T, "test-key"), "alice", RateLimitedAction.SEND_MESSAGE);
        small.check(Caller.apiKey(T, "test-key"), "bob", RateLimitedAction.MESSAGE_ACTION);
        small.check(Caller.apiKey(T, "test-key"), null, RateLimitedAction.OTHER_WRITE);
        ApiException e = assertThrows(ApiException.class, () -> small.check(Caller.apiKey(T, "test-key"), "carol", RateLimitedAction.RECEIPT));
        assertEquals(429, e.status());
        assertDoesNotThrow(() -> small.check(Caller.apiKey("other-tenant", "test-key"), "alice", RateLimitedAction.SEND_MESSAGE), "per tenant");
        assertDoesNotThrow(() -> limits.check(T, "alice", RateLimitedAction.SEND_MESSAGE, 1), "users keep their own limits");
    }

    @Test
    void windows_areFixedMinutes_andANewMinuteStartsAfresh() {
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        assertTrue(store.rateLimiter.acquire(T, "u", RateLimitedAction.TYPING, 1, start.plusSeconds(10)).allowed());
        RateLimiter.Decision refused = store.rateLimiter.acquire(T, "u", RateLimitedAction.TYPING, 1, start.plusMillis(59_500));
        assertEquals(new RateLimiter.Decision(false, 1), refused);
        assertTrue(store.rateLimiter.acquire(T, "u", RateLimitedAction.TYPING, 1, start.plusSeconds(60)).allowed());
        assertEquals(50, RateLimiter.secondsLeft(start.plusSeconds(10)));
    }
}
