package dev.sendsar.ports;

import dev.sendsar.domain.RateLimitedAction;

import java.time.Instant;

/**
 * Counts a user's uses of an action in fixed one-minute windows, shared by every function instance. Storage
 * failures propagate as unchecked exceptions (the request fails rather than runs unlimited).
 */
public interface RateLimiter {
    /** The window length: limits are per minute. */
    long WINDOW_SECONDS = 60;

    /** Whether the use is allowed; when it is not, how many seconds are left until the window ends (at least 1). */
    record Decision(boolean allowed, long retryAfterSeconds) {
        public static final Decision ALLOWED = new Decision(true, 0);
    }

    /** Counts one use of {@code action} at {@code now} unless {@code limit} uses are already counted in its window. */
    default Decision acquire(String tenantId, String userId, RateLimitedAction action, int limit, Instant now) {
        return reserve(tenantId, userId, action, limit, 1, now) == 1 ? Decision.ALLOWED : new Decision(false, secondsLeft(now));
    }

    /**
     * Counts up to {@code wanted} uses at once in {@code now}'s window, never past {@code limit}: returns how many were
     * counted (0 when the window is used up), which the caller may then spend without asking again in that window.
     */
    int reserve(String tenantId, String userId, RateLimitedAction action, int limit, int wanted, Instant now);

    static long windowStart(Instant now) {
        return Math.floorDiv(now.getEpochSecond(), WINDOW_SECONDS) * WINDOW_SECONDS;
    }

    /** Whole seconds from {@code now} to the end of its window, rounded up, at least 1. */
    static long secondsLeft(Instant now) {
        long endMillis = (windowStart(now) + WINDOW_SECONDS) * 1000;
        return Math.max(1, (endMillis - now.toEpochMilli() + 999) / 1000);
    }
}
