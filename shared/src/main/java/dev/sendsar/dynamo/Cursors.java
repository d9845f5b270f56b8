package dev.sendsar.dynamo;

import dev.sendsar.error.ErrorCode;
import dev.sendsar.error.ApiException;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Opaque page cursors. A cursor carries only the sort-key position inside the caller's own partition; the
 * partition always comes from the authenticated caller, so a cursor can never reach another tenant's items.
 */
public final class Cursors {
    private Cursors() {
    }

    public static String encode(String position) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(position.getBytes(StandardCharsets.UTF_8));
    }

    /** The key a cursor names; an empty or undecodable one is a 400 {@code invalid_cursor} (never a key DynamoDB refuses). */
    public static String decode(String cursor) {
        String key;
        try {
            key = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        if (key.isEmpty()) {
            throw invalid();
        }
        return key;
    }

    public static ApiException invalid() {
        return new ApiException(ErrorCode.INVALID_CURSOR, "The cursor is not valid");
    }
}
