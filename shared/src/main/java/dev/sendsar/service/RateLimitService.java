package dev.sendsar.service;

import dev.sendsar.config.SendsarConfig;
import dev.sendsar.domain.Caller;
import dev.sendsar.domain.RateLimitedAction;
import dev.sendsar.error.ApiException;
import dev.sendsar.ports.RateLimiter;
import dev.sendsar.settings.TenantSettings;
import dev.sendsar.settings.TenantSettingsService;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tenant's {@code chat.rateLimits}, per user per minute, held across every function instance. A use over the
 * limit is a 429 {@code rate_limited} carrying the seconds until the window ends (REST sends them as Retry-After;
 * the WebSocket edge sends an {@code error} frame).
 *
 * <p>A tenant's API-key budget is counted in the shared counter too, but not one write per use: each function
 * instance reserves a block of uses from the minute's counter and spends it from memory, so a busy integrator's sends
 * pay for the counter once per block instead of once per send. The first block of a window is small and each refill
 * in the same window doubles it, up to a second's worth of the limit: an instance that sends little reserves little.
 * The shared count never exceeds the limit (what is reserved is counted); what an instance reserved and did not use
 * by the minute's end is lost, so across n busy instances the tenant may be refused up to n blocks early.
 */
@Singleton
public class RateLimitService {
    /** The counter of a tenant's API-key writes: not a user id (user ids never hold {@code *}). */
    static final String API_KEY_COUNTER = "*";

    private final RateLimiter limiter;
    private final TenantSettingsService settings;
    private final int apiKeyWritesPerMinute;
    /** Tenant id to the API-key uses this instance has reserved; bounded by the tenants the instance serves. */
    private final Map<String, Allowance> apiKeyAllowances = new ConcurrentHashMap<>();
    /** User, action and the start of the window in which this instance saw its limit refuse a use. */
    private final Cache<String, Long> usedUpWindows = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(Duration.ofSeconds(RateLimiter.WINDOW_SECONDS)).build();

    public RateLimitService(RateLimiter limiter, TenantSettingsService settings, SendsarConfig config) {
        this.limiter = limiter;
        this.settings = settings;
        this.apiKeyWritesPerMinute = config.getApiKeyWritesPerMinute();
    }

    /**
     * Counts one write: a session user's against its own limit for {@code action}; an API key's (acting as any user)
     * against the tenant's one API-key budget ({@code sendsar.api-key-writes-per-minute}), so an integrator's server
     * may act for many users at once (imports, bots) but a leaked or looping key cannot flood the platform.
     */
    public void check(Caller caller, String userId, RateLimitedAction action) {
        check(caller, userId, action, 1);
    }

    /** Counts {@code uses} writes at once (a forward to several rooms is a send to each). */
    public void check(Caller caller, String userId, RateLimitedAction action, int uses) {
        if (caller.kind() == Caller.Kind.API_KEY) {
            apiKeyAllowances.computeIfAbsent(caller.tenantId(), t -> new Allowance())
                    .take(caller.tenantId(), uses, Instant.now());
            return;
        }
        for (int i = 0; i < uses && caller.isUser(); i++) {
            check(caller.tenantId(), userId, action);
        }
    }

    /** The API-key uses one instance has reserved for one tenant in the current window. */
    private final class Allowance {
        private long window = -1;
        private int left;
        private int block = 1;

        synchronized void take(String tenantId, int uses, Instant now) {
            long current = RateLimiter.windowStart(now);
            if (current != window) {
                window = current;
                left = 0;
                block = Math.max(1, block / 2); // as busy as last minute, roughly: no need to ramp up from 1 again
            }
            while (left < uses) {
                int wanted = Math.max(uses - left, block);
                int granted = limiter.reserve(tenantId, API_KEY_COUNTER, RateLimitedAction.API_KEY_WRITE,
                        apiKeyWritesPerMinute, wanted, now);
                if (granted == 0) {
                    throw ApiException.rateLimited(RateLimiter.secondsLeft(now));
                }
                left += granted;
                block = Math.min(Math.max(1, apiKeyWritesPerMinute / 60), block * 2);
            }
            left -= uses;
        }
    }

    /** Counts one use by the user; throws 429 {@code rate_limited} when the tenant's limit for it is used up. */
    public void check(String tenantId, String userId, RateLimitedAction action) {
        check(tenantId, userId, action, limitOf(settings.settings(tenantId).chat().rateLimits(), action));
    }

    /**
     * A window once used up stays so (a refused use does not count, and nothing is given back): this instance
     * refuses the rest of it from memory, so a client hammering past its limit costs no further write.
     */
    public void check(String tenantId, String userId, RateLimitedAction action, int limit) {
        Instant now = Instant.now();
        String key = tenantId + '\n' + userId + '\n' + action.key();
        Long usedUp = usedUpWindows.getIfPresent(key);
        if (usedUp != null && usedUp == RateLimiter.windowStart(now)) {
            throw ApiException.rateLimited(RateLimiter.secondsLeft(now));
        }
        RateLimiter.Decision decision = limiter.acquire(tenantId, userId, action, limit, now);
        if (!decision.allowed()) {
            usedUpWindows.put(key, RateLimiter.windowStart(now));
            throw ApiException.rateLimited(decision.retryAfterSeconds());
        }
    }

    static int limitOf(TenantSettings.RateLimits limits, RateLimitedAction action) {
        return switch (action) {
            case SEND_MESSAGE -> limits.sendMessage();
            case TYPING -> limits.typing();
            case JOIN_ROOM -> limits.joinRoom();
            case UPLOAD_PRESIGN -> limits.uploadPresign();
            case MESSAGE_ACTION -> limits.messageActions();
            case RECEIPT -> limits.receipts();
            case OTHER_WRITE -> limits.otherWrites();
            case API_KEY_WRITE -> throw new IllegalArgumentException("the API-key limit is configuration, not a tenant setting");
            case CONNECT -> RealtimeService.MAX_CONNECTS_PER_MINUTE;
        };
    }
}
