package dev.sendsar.service;

import dev.sendsar.domain.Caller;
import dev.sendsar.domain.RateLimitedAction;
import dev.sendsar.error.ApiException;
import dev.sendsar.ports.RateLimiter;
import dev.sendsar.settings.TenantSettings;
import dev.sendsar.settings.TenantSettingsService;
import jakarta.inject.Singleton;

import java.time.Instant;

/**
 * The tenant's {@code chat.rateLimits}, per user per minute, held across every function instance. A use over the
 * limit is a 429 {@code rate_limited} carrying the seconds until the window ends (REST sends them as Retry-After;
 * the WebSocket edge sends an {@code error} frame).
 */
@Singleton
public class RateLimitService {
    private final RateLimiter limiter;
    private final TenantSettingsService settings;

    public RateLimitService(RateLimiter limiter, TenantSettingsService settings) {
        this.limiter = limiter;
        this.settings = settings;
    }

    /**
     * Limits end users (session tokens) only: an integrator's server holds the tenant's secret key and may act for
     * many users at once (imports, bots), so its calls are not counted against the users it names.
     */
    public void check(Caller caller, String userId, RateLimitedAction action) {
        if (caller.isUser()) {
            check(caller.tenantId(), userId, action);
        }
    }

    /** Counts one use by the user; throws 429 {@code rate_limited} when the tenant's limit for it is used up. */
    public void check(String tenantId, String userId, RateLimitedAction action) {
        check(tenantId, userId, action, limitOf(settings.settings(tenantId).chat().rateLimits(), action));
    }

    public void check(String tenantId, String userId, RateLimitedAction action, int limit) {
        RateLimiter.Decision decision = limiter.acquire(tenantId, userId, action, limit, Instant.now());
        if (!decision.allowed()) {
            throw ApiException.rateLimited(decision.retryAfterSeconds());
        }
    }

    static int limitOf(TenantSettings.RateLimits limits, RateLimitedAction action) {
        return switch (action) {
            case SEND_MESSAGE -> limits.sendMessage();
            case TYPING -> limits.typing();
            case JOIN_ROOM -> limits.joinRoom();
            case UPLOAD_PRESIGN -> limits.uploadPresign();
            case CONNECT -> RealtimeService.MAX_CONNECTS_PER_MINUTE;
        };
    }
}
