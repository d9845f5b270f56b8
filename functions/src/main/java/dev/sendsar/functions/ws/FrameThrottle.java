package dev.sendsar.functions.ws;

import jakarta.inject.Singleton;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per connection for every client frame, held in the function's memory: {@link #BURST} frames at
 * once, then {@link #PER_SECOND} a second. It costs nothing per frame (a DynamoDB counter would cost a write per
 * frame, the very amplification it guards against). On AWS each function instance keeps its own buckets, so a
 * connection spread over n warm instances gets n times the rate: the bound is per instance, and the actions that
 * reach other users (typing starts, room joins, connects) are also counted across instances by the tenant's
 * DynamoDB limits.
 */
@Singleton
public class FrameThrottle {
    static final int BURST = 20;
    static final double PER_SECOND = 5;
    /** Buckets kept before idle ones (full again, so no different from new) are dropped. */
    static final int MAX_TRACKED = 10_000;

    /** What to do with a frame. */
    public enum Decision {
        /** Run it. */
        ADMIT,
        /** Drop it and tell the client once that it is being throttled. */
        REFUSE_AND_TELL,
        /** Drop it silently: the client was told already. */
        REFUSE
    }

    private static final class Bucket {
        double tokens = BURST;
        long refilledAt;
        boolean told;

        Bucket(long now) {
            refilledAt = now;
        }

        synchronized Decision take(long now) {
            refill(now);
            if (tokens >= 1) {
                tokens -= 1;
                told = false;
                return Decision.ADMIT;
            }
            if (told) {
                return Decision.REFUSE;
            }
            told = true;
            return Decision.REFUSE_AND_TELL;
        }

        synchronized boolean isFull(long now) {
            refill(now);
            return tokens >= BURST;
        }

        private void refill(long now) {
            tokens = Math.min(BURST, tokens + (now - refilledAt) / 1e9 * PER_SECOND);
            refilledAt = now;
        }
    }

    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final LongSupplier nanoTime;

    public FrameThrottle() {
        this(System::nanoTime);
    }

    FrameThrottle(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    public Decision admit(String connectionId) {
        long now = nanoTime.getAsLong();
        if (buckets.size() > MAX_TRACKED) {
            buckets.values().removeIf(bucket -> bucket.isFull(now));
        }
        return buckets.computeIfAbsent(connectionId, id -> new Bucket(now)).take(now);
    }

    /** The seconds until one more frame is admitted after a refusal. */
    static long retryAfterSeconds() {
        return (long) Math.ceil(1 / PER_SECOND);
    }
}
