package dev.sendsar.dynamo;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.Map;

/** Reading and writing single attribute values; absent and NULL attributes read as {@code null}. */
final class Attrs {
    private Attrs() {
    }

    static AttributeValue s(String value) {
        return value == null ? AttributeValue.fromNul(true) : AttributeValue.fromS(value);
    }

    static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    static AttributeValue bool(boolean value) {
        return AttributeValue.fromBool(value);
    }

    static String str(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.s() == null ? null : v.s();
    }

    static long num(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? 0 : Long.parseLong(v.n());
    }

    static boolean bool(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v != null && Boolean.TRUE.equals(v.bool());
    }
}
