package dev.sendsar.dynamo;

import dev.sendsar.domain.RateLimitedAction;
import dev.sendsar.ports.RateLimiter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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
}
