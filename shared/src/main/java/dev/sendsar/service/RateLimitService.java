package dev.sendsar.service;

import dev.sendsar.config.SendsarConfig;
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
    /** The counter of a tenant's API-key writes: not a user id (user ids never hold {@code *}). */
    static final String API_KEY_COUNTER = "*";

    private final RateLimiter limiter;
    private final TenantSettingsService settings;
    private final int apiKeyWritesPerMinute;

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
        for (int i = 0; i < uses; i++) {
            if (caller.isUser()) {
                check(caller.tenantId(), userId, action);
            } else if (caller.kind() == Caller.Kind.API_KEY) {
                check(caller.tenantId(), API_KEY_COUNTER, RateLimitedAction.API_KEY_WRITE, apiKeyWritesPerMinute);
            }
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
            case MESSAGE_ACTION -> limits.messageActions();
            case RECEIPT -> limits.receipts();
            case OTHER_WRITE -> limits.otherWrites();
            case API_KEY_WRITE -> throw new IllegalArgumentException("the API-key limit is configuration, not a tenant setting");
            case CONNECT -> RealtimeService.MAX_CONNECTS_PER_MINUTE;
        };
    }
}
