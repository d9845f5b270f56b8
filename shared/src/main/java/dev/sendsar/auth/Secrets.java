package dev.sendsar.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/** Making and comparing secrets: random base62 keys, SHA-256 hashes, constant-time comparison. */
public final class Secrets {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

    private Secrets() {
    }

    /** {@code prefix} followed by 43 base62 characters: more than 256 bits of randomness. */
    public static String randomKey(String prefix) {
        StringBuilder sb = new StringBuilder(prefix);
        for (int i = 0; i < 43; i++) {
            sb.append(BASE62[RANDOM.nextInt(BASE62.length)]);
        }
        return sb.toString();
    }

    public static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static boolean sameSecret(String given, String expected) {
        if (given == null || expected == null) {
            return false;
        }
        return MessageDigest.isEqual(sha256(given).getBytes(StandardCharsets.UTF_8), sha256(expected).getBytes(StandardCharsets.UTF_8));
    }
}
