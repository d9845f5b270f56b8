package dev.sendsar.domain;

import java.security.SecureRandom;
import java.util.UUID;

/** Ids the server makes: random UUIDs, and time-ordered UUIDv7 for messages. */
public final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    public static String uuid() {
        return UUID.randomUUID().toString();
    }

    /** RFC 9562 UUIDv7: 48 bits of Unix milliseconds, then random bits. */
    public static String uuidV7() {
        long millis = System.currentTimeMillis();
        long randA = RANDOM.nextInt(1 << 12);
        long msb = (millis << 16) | 0x7000L | randA;
        long lsb = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }
}
