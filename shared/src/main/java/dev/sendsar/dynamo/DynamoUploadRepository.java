package dev.sendsar.dynamo;

import dev.sendsar.config.SendsarConfig;
import dev.sendsar.domain.Upload;
import dev.sendsar.ports.UploadRepository;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.sendsar.dynamo.Attrs.n;
import static dev.sendsar.dynamo.Attrs.num;
import static dev.sendsar.dynamo.Attrs.s;
import static dev.sendsar.dynamo.Attrs.str;

/** One item per upload under {@code T#{t}#UP#{uploadId}}; the rooms that may read it are a string set. */
@Singleton
public class DynamoUploadRepository implements UploadRepository {
    private static final String EXISTS = "attribute_exists(" + TableKeys.PK + ")";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoUploadRepository(DynamoDbClient dynamo, SendsarConfig config) {
        this.dynamo = dynamo;
        this.table = config.getTable();
    }

    @Override
    public void create(String tenantId, Upload upload, long expiresAtEpochSeconds) {
        Map<String, AttributeValue> item = new HashMap<>(key(tenantId, upload.id()));
        item.put("id", s(upload.id()));
        item.put("ownerId", s(upload.ownerId()));
        item.put("filename", s(upload.filename()));
        item.put("mediaType", s(upload.mediaType()));
        item.put("sizeBytes", n(upload.sizeBytes()));
        item.put("status", s(upload.status()));
        item.put("createdAt", s(upload.createdAt()));
        if (!upload.roomIds().isEmpty()) {
            item.put("roomIds", AttributeValue.fromSs(List.copyOf(upload.roomIds())));
        }
        item.put(TableKeys.TTL, n(expiresAtEpochSeconds));
        try {
            dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(" + TableKeys.PK + ")")
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
        } catch (ConditionalCheckFailedException taken) {
            // the SDK sends a call again when an attempt's answer is lost: refused by the very item this call wrote
            if (!item.equals(taken.item())) {
                throw taken;
            }
        }
    }

    @Override
    public Optional<Upload> find(String tenantId, String uploadId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(key(tenantId, uploadId))
                .consistentRead(true)).item();
        return item == null || item.isEmpty() || expired(item) ? Optional.empty() : Optional.of(toUpload(item));
    }

    @Override
    public Map<String, Upload> findAll(String tenantId, Collection<String> uploadIds) {
        Map<String, Upload> found = new HashMap<>();
        // consistent: a send right after complete, and the answer right after sharing, must see those writes
        BatchReads.getAll(dynamo, table, uploadIds.stream().map(id -> key(tenantId, id)).toList(), true).stream()
                .filter(item -> !expired(item))
                .forEach(item -> found.put(str(item, "id"), toUpload(item)));
        return found;
    }

    @Override
    public boolean markReady(String tenantId, String uploadId, String completedAt) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(tenantId, uploadId))
                    .updateExpression("SET #status = :ready, completedAt = :at REMOVE #ttl")
                    .conditionExpression(EXISTS)
                    .expressionAttributeNames(Map.of("#status", "status", "#ttl", TableKeys.TTL))
                    .expressionAttributeValues(Map.of(":ready", s(Upload.READY), ":at", s(completedAt))));
            return true;
        } catch (ConditionalCheckFailedException gone) {
            return false;
        }
    }

    @Override
    public void addRoom(String tenantId, String uploadId, String roomId) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(tenantId, uploadId))
                    .updateExpression("ADD roomIds :room")
                    .conditionExpression(EXISTS)
                    .expressionAttributeValues(Map.of(":room", AttributeValue.fromSs(List.of(roomId)))));
        } catch (ConditionalCheckFailedException gone) {
            // aborted meanwhile: there is nothing left to share
        }
    }

    @Override
    public void delete(String tenantId, String uploadId) {
        dynamo.deleteItem(b -> b.tableName(table).key(key(tenantId, uploadId)));
    }

    private static Map<String, AttributeValue> key(String tenantId, String uploadId) {
        return Map.of(TableKeys.PK, s(TableKeys.upload(tenantId, uploadId)), TableKeys.SK, s(TableKeys.UPLOAD));
    }

    /** DynamoDB's TTL deletes late; a pending upload past its expiry is gone for readers at once. */
    private static boolean expired(Map<String, AttributeValue> item) {
        long ttl = num(item, TableKeys.TTL);
        return ttl > 0 && ttl < System.currentTimeMillis() / 1000;
    }

    private static Upload toUpload(Map<String, AttributeValue> item) {
        AttributeValue rooms = item.get("roomIds");
        Set<String> roomIds = rooms == null || !rooms.hasSs() ? Set.of() : Set.copyOf(rooms.ss());
        return new Upload(str(item, "id"), str(item, "ownerId"), str(item, "filename"), str(item, "mediaType"),
                num(item, "sizeBytes"), str(item, "status"), roomIds, str(item, "createdAt"), str(item, "completedAt"));
    }
}
