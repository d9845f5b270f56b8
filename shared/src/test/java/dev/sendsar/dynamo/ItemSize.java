package dev.sendsar.dynamo;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** An item's size as DynamoDB bills it: attribute names plus values (strings in UTF-8, numbers ~1 byte per 2 digits). */
final class ItemSize {
    private ItemSize() {
    }

    static int of(Map<String, AttributeValue> item) {
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

    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
