package dev.sendsar.domain;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * Ids the server makes: random UUIDs, and time-ordered UUIDv7 for messages whose last 40 bits are the message's seq,
 * so a message is found by id with one read and no id-to-seq pointer item has to be written with it.
 */
public final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    public static String uuid() {
        return UUID.randomUUID().toString();
    }

    /** Seqs up to 2^40 − 1 (past the 12 digits of a message's sort key) fit a message id. */
    private static final long SEQ_BITS = (1L << 40) - 1;

    /**
     * A message id: an RFC 9562 UUIDv7 (48 bits of Unix milliseconds, version, 12 random bits, variant) whose last
     * 62 bits are 22 random bits then the 40-bit {@code seq}. Clients treat it as opaque; the server reads the seq
     * back with {@link #seqOfMessageId} and checks the stored message carries the very same id.
     */
    public static String messageId(long seq) {
        if (seq < 1 || seq > SEQ_BITS) {
            throw new IllegalArgumentException("seq out of range: " + seq);
        }
        long millis = System.currentTimeMillis();
        long randA = RANDOM.nextInt(1 << 12);
        long msb = (millis << 16) | 0x7000L | randA;
        long randB = RANDOM.nextInt(1 << 22);
        long lsb = 0x8000000000000000L | (randB << 40) | seq;
        return new UUID(msb, lsb).toString();
    }

    /** The seq a {@link #messageId} carries; 0 when the text is not such an id. */
    public static long seqOfMessageId(String id) {
        if (id == null || id.length() != 36) {
            return 0;
        }
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException notAUuid) {
            return 0;
        }
        if (uuid.version() != 7 || uuid.variant() != 2) {
            return 0;
        }
        return uuid.getLeastSignificantBits() & SEQ_BITS;
    }
}
