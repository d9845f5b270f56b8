package dev.sendsar.calls;

import dev.sendsar.config.SendsarConfig;
import dev.sendsar.dynamo.TableKeys;
import dev.sendsar.json.Json;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A call is one item under its room ({@code CALL#{id}}: the record as JSON, its status and version). While it is not
 * over, two pointer items go with it, written and removed in the same transactions: the room's {@code ACTIVECALL}
 * (one active call per room, by condition) and {@code LK#{livekitRoomName}} (LiveKit's webhooks find the call).
 */
@Singleton
public class DynamoCallRepository implements CallRepository {
    private static final String NOT_EXISTS = "attribute_not_exists(" + TableKeys.PK + ")";

    private final DynamoDbClient dynamo;
    private final String table;
    private final Json json;

    public DynamoCallRepository(DynamoDbClient dynamo, SendsarConfig config, Json json) {
        this.dynamo = dynamo;
        this.table = config.getTable();
        this.json = json;
    }

    @Override
    public Optional<Call> find(String tenantId, String roomId, String callId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                .key(key(TableKeys.room(tenantId, roomId), TableKeys.call(callId)))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(toCall(item));
    }

    @Override
    public Optional<Call> active(String tenantId, String roomId) {
        Map<String, AttributeValue> pointer = dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                .key(key(TableKeys.room(tenantId, roomId), TableKeys.ACTIVE_CALL))).item();
        if (pointer == null || pointer.isEmpty()) {
            return Optional.empty();
        }
        return find(tenantId, roomId, pointer.get("callId").s()).filter(call -> !call.finished());
    }

    @Override
    public boolean create(String tenantId, Call call) {
        String pk = TableKeys.room(tenantId, call.roomId());
        List<TransactWriteItem> writes = new ArrayList<>(3);
        writes.add(TransactWriteItem.builder().put(p -> p.tableName(table).item(callItem(pk, call))
                .conditionExpression(NOT_EXISTS)).build());
        writes.add(TransactWriteItem.builder().put(p -> p.tableName(table).item(with(key(pk, TableKeys.ACTIVE_CALL),
                Map.of("callId", AttributeValue.fromS(call.id())))).conditionExpression(NOT_EXISTS)).build());
        writes.add(TransactWriteItem.builder().put(p -> p.tableName(table).item(mediaRoomItem(tenantId, call))).build());
        try {
            dynamo.transactWriteItems(b -> b.transactItems(writes));
            return true;
        } catch (TransactionCanceledException e) {
            if (e.cancellationReasons().stream().anyMatch(r -> "ConditionalCheckFailed".equals(r.code()))) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public boolean replace(String tenantId, Call before, Call after) {
        String pk = TableKeys.room(tenantId, after.roomId());
        Map<String, AttributeValue> item = callItem(pk, after);
        List<TransactWriteItem> writes = new ArrayList<>(3);
        writes.add(TransactWriteItem.builder().put(p -> p.tableName(table).item(item)
                .conditionExpression("version = :expected")
                .expressionAttributeValues(Map.of(":expected", AttributeValue.fromN(Long.toString(before.version()))))).build());
        if (after.finished()) {
            writes.add(TransactWriteItem.builder().delete(d -> d.tableName(table).key(key(pk, TableKeys.ACTIVE_CALL))
                    .conditionExpression("attribute_not_exists(callId) OR callId = :id")
                    .expressionAttributeValues(Map.of(":id", AttributeValue.fromS(after.id())))).build());
            writes.add(TransactWriteItem.builder().delete(d -> d.tableName(table)
                    .key(key(TableKeys.mediaRoom(after.livekitRoomName()), TableKeys.CALL))).build());
        }
        try {
            dynamo.transactWriteItems(b -> b.transactItems(writes));
            return true;
        } catch (TransactionCanceledException e) {
            if (!e.cancellationReasons().isEmpty() && "ConditionalCheckFailed".equals(e.cancellationReasons().get(0).code())) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public Optional<MediaRoomCall> byMediaRoom(String livekitRoomName) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                .key(key(TableKeys.mediaRoom(livekitRoomName), TableKeys.CALL))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(new MediaRoomCall(
                item.get("tenantId").s(), item.get("roomId").s(), item.get("callId").s()));
    }

    /** The call's record as stored: the {@code doc} attribute, which the change stream also carries. */
    Call read(String doc) {
        try {
            return json.read(doc, Call.class);
        } catch (IOException e) {
            throw new UncheckedIOException("A stored call is not valid JSON", e);
        }
    }

    private Call toCall(Map<String, AttributeValue> item) {
        return read(item.get("doc").s());
    }

    private Map<String, AttributeValue> callItem(String pk, Call call) {
        return with(key(pk, TableKeys.call(call.id())), Map.of(
                "doc", AttributeValue.fromS(json.write(call)),
                "status", AttributeValue.fromS(call.status()),
                "version", AttributeValue.fromN(Long.toString(call.version()))));
    }

    private static Map<String, AttributeValue> mediaRoomItem(String tenantId, Call call) {
        return with(key(TableKeys.mediaRoom(call.livekitRoomName()), TableKeys.CALL), Map.of(
                "tenantId", AttributeValue.fromS(tenantId),
                "roomId", AttributeValue.fromS(call.roomId()),
                "callId", AttributeValue.fromS(call.id())));
    }

    private static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of(TableKeys.PK, AttributeValue.fromS(pk), TableKeys.SK, AttributeValue.fromS(sk));
    }

    private static Map<String, AttributeValue> with(Map<String, AttributeValue> key, Map<String, AttributeValue> attributes) {
        Map<String, AttributeValue> item = new java.util.HashMap<>(key);
        item.putAll(attributes);
        return item;
    }
}
