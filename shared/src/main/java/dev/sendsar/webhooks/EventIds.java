package dev.sendsar.webhooks;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.UUID;

/**
 * Event ids: {@code evt_} + a UUIDv7 whose time is the change's and whose other bits come from the SHA-256 of what
 * the event is derived from (the stream record's id and the event type). So the same change always yields the same
 * id, on every retry and replay, and ids sort by time (the delivery log lists by them).
 */
public final class EventIds {
    private static final SecureRandom RANDOM = new SecureRandom();

    private EventIds() {
    }

    public static String of(long epochMillis, String source) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(source.getBytes(StandardCharsets.UTF_8));
            return "evt_" + v7(epochMillis, hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fresh id, for events that derive from no change (console.test). */
    public static String random() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return "evt_" + v7(System.currentTimeMillis(), bytes);
    }

    private static UUID v7(long epochMillis, byte[] bits) {
        ByteBuffer buffer = ByteBuffer.wrap(bits, 0, 16);
        long high = buffer.getLong();
        long low = buffer.getLong();
        long msb = (epochMillis << 16) | 0x7000L | (high & 0x0FFFL);
        long lsb = (low & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }
}
