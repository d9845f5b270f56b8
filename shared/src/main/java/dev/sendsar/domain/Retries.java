package dev.sendsar.domain;

import dev.sendsar.error.ApiException;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Every retry loop of the product is bounded: it makes at most a fixed number of attempts, pausing a little longer
 * (with jitter) after each lost race, and then gives up with an error the client can act on (retry later).
 */
public final class Retries {
    private Retries() {
    }

    /** A short random pause before attempt {@code attempt} (from 1), up to about 20 ms. */
    public static void pause(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextInt(1, 2 + Math.min(attempt, 20)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** 503 with {@code code}: the loop lost every race it ran; retrying the same request later is safe. */
    public static ApiException busy(String code, String message) {
        return new ApiException(503, code, message);
    }
}
