package dev.sendsar.dynamo;

import dev.sendsar.domain.RateLimitedAction;
import dev.sendsar.ports.RateLimiter;
import dev.sendsar.domain.Caller;
import dev.sendsar.error.ApiException;
import dev.sendsar.fakes.InMemoryTenantDirectory;
import dev.sendsar.fakes.TestConfig;
import dev.sendsar.json.Json;
import dev.sendsar.service.RateLimitService;
import dev.sendsar.settings.TenantSettingsService;
import io.micronaut.json.JsonMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DynamoRateLimiterTest {
    private static final DynamoLocal db = new DynamoLocal();
    private final DynamoRateLimiter limiter = new DynamoRateLimiter(db.client, db.config);

    @AfterAll
    static void stop() {
        db.close();
    }

    @Test
    void acquire_letsExactlyTheLimitThroughFromConcurrentCallers() throws Exception {
        Instant now = Instant.parse("2026-01-01T00:00:30Z");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Boolean>> calls = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                calls.add(() -> limiter.acquire("t1", "alice", RateLimitedAction.SEND_MESSAGE, 25, now).allowed());
            }
            long allowed = 0;
            for (Future<Boolean> f : pool.invokeAll(calls)) {
                allowed += f.get() ? 1 : 0;
            }
            assertEquals(25, allowed);
        } finally {
            pool.shutdown();
        }
        RateLimiter.Decision refused = limiter.acquire("t1", "alice", RateLimitedAction.SEND_MESSAGE, 25, now);
        assertEquals(new RateLimiter.Decision(false, 30), refused);
    }

    @Test
    void acquire_countsPerTenantUserActionAndMinute() {
        Instant now = Instant.parse("2026-01-01T00:10:00Z");
        assertTrue(limiter.acquire("t1", "bob", RateLimitedAction.TYPING, 1, now).allowed());
        assertFalse(limiter.acquire("t1", "bob", RateLimitedAction.TYPING, 1, now.plusSeconds(59)).allowed());
        assertTrue(limiter.acquire("t1", "bob", RateLimitedAction.TYPING, 1, now.plusSeconds(60)).allowed());
        assertTrue(limiter.acquire("t1", "bob", RateLimitedAction.JOIN_ROOM, 1, now).allowed());
        assertTrue(limiter.acquire("t1", "carol", RateLimitedAction.TYPING, 1, now).allowed());
        assertTrue(limiter.acquire("t2", "bob", RateLimitedAction.TYPING, 1, now).allowed());
    }

    @Test
    void counterItems_carryATtlAMinuteAfterTheirWindow() {
        Instant now = Instant.parse("2026-01-01T00:20:05Z");
        limiter.acquire("t1", "dave", RateLimitedAction.UPLOAD_PRESIGN, 5, now);
        long window = RateLimiter.windowStart(now);
        var item = db.client.getItem(b -> b.tableName(db.config.getTable()).key(java.util.Map.of(
                TableKeys.PK, Attrs.s(TableKeys.user("t1", "dave")),
                TableKeys.SK, Attrs.s(TableKeys.rateLimit("presign", window))))).item();
        assertEquals("1", item.get("count").n());
        assertEquals(Long.toString(window + 120), item.get(TableKeys.TTL).n());
    }

    @Test
    void reserve_takesWhatIsLeftWhenTheBlockNoLongerFits_thenNothing() {
        Instant now = Instant.parse("2026-01-01T00:30:00Z");
        assertEquals(8, limiter.reserve("t1", "erin", RateLimitedAction.API_KEY_WRITE, 10, 8, now));
        assertEquals(2, limiter.reserve("t1", "erin", RateLimitedAction.API_KEY_WRITE, 10, 5, now));
        assertEquals(0, limiter.reserve("t1", "erin", RateLimitedAction.API_KEY_WRITE, 10, 1, now));
        assertEquals(5, limiter.reserve("t1", "erin", RateLimitedAction.API_KEY_WRITE, 10, 5, now.plusSeconds(60)));
    }

    /** Two function instances spending one tenant's API-key budget at once, each from the blocks it reserved. */
    @Test
    void apiKeyBudget_acrossInstances_neverLetsMoreThanTheLimitThrough_thenRefuses429() throws Exception {
        int limit = 600; // blocks of at most 10 (a second's worth)
        AtomicInteger counterWrites = new AtomicInteger();
        RateLimiter counted = (tenant, user, action, max, wanted, now) -> {
            counterWrites.incrementAndGet();
            return limiter.reserve(tenant, user, action, max, wanted, now);
        };
        List<RateLimitService> instances = List.of(service(counted, limit), service(counted, limit));
        Caller key = Caller.apiKey("budget-tenant", "key-1");
        ExecutorService pool = Executors.newFixedThreadPool(6);
        AtomicInteger allowed = new AtomicInteger();
        List<ApiException> refusals = java.util.Collections.synchronizedList(new ArrayList<>());
        try {
            List<Callable<Void>> calls = new ArrayList<>();
            for (int i = 0; i < 700; i++) {
                RateLimitService instance = instances.get(i % 2);
                calls.add(() -> {
                    try {
                        instance.check(key, "anyone", RateLimitedAction.SEND_MESSAGE);
                        allowed.incrementAndGet();
                    } catch (ApiException e) {
                        refusals.add(e);
                    }
                    return null;
                });
            }
            for (Future<Void> f : pool.invokeAll(calls)) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        if (RateLimiter.windowStart(Instant.now()) == RateLimiter.windowStart(Instant.now().minusSeconds(5))) {
            // within one window: never above the limit, and at most one unspent block per instance below it
            assertTrue(allowed.get() <= limit && allowed.get() >= limit - 2 * 10, "allowed " + allowed.get());
            assertEquals(429, refusals.get(0).status());
            assertEquals("rate_limited", refusals.get(0).code());
        }
        // the counter is written per block, not per send: 600 allowed sends cost far fewer than 600 counter writes
        assertTrue(counterWrites.get() - refusals.size() < limit / 5, "counter writes " + counterWrites.get());
    }

    private static RateLimitService service(RateLimiter limiter, int apiKeyWritesPerMinute) {
        TestConfig config = new TestConfig("t", null, null, apiKeyWritesPerMinute);
        return new RateLimitService(limiter, new TenantSettingsService(new InMemoryTenantDirectory(),
                new Json(JsonMapper.createDefault()), dev.sendsar.fakes.TestWebhookOptions.box(), config), config);
    }
}
