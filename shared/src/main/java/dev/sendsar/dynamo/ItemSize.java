package dev.sendsar.dynamo;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * An item's size as DynamoDB bills it: attribute names plus values (strings in UTF-8, numbers ~1 byte per 2 digits).
 * A write costs one unit per started KB of it (two in a transaction). Tests and the bench size what a send writes.
 */
public final class ItemSize {
    private ItemSize() {
    }

    public static int of(Map<String, AttributeValue> item) {
        return item.entrySet().stream().mapToInt(e -> bytes(e.getKey()) + value(e.getValue())).sum();
    }

    private static int value(AttributeValue v) {
        if (v.s() != null) return bytes(v.s());
        if (v.n() != null) return (v.n().length() + 1) / 2 + 1;
        if (v.bool() != null || Boolean.TRUE.equals(v.nul())) return 1;
        if (v.hasL()) return 3 + v.l().stream().mapToInt(e -> 1 + value(e)).sum();
        if (v.hasM()) return 3 + v.m().entrySet().stream().mapToInt(e -> 1 + bytes(e.getKey()) + value(e.getValue())).sum();
        return 0;
    }

    /** Write units of one write of the item: one per started KB, at least one. */
    public static int writeUnits(Map<String, AttributeValue> item) {
        return Math.max(1, (of(item) + 1023) / 1024);
    }

    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
