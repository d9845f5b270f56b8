package dev.sendsar.dynamo;

import dev.sendsar.error.ErrorCode;
import dev.sendsar.config.SendsarConfig;
import dev.sendsar.domain.Ids;
import dev.sendsar.domain.LastMessage;
import dev.sendsar.domain.Message;
import dev.sendsar.domain.Retries;
import dev.sendsar.domain.Room;
import dev.sendsar.json.Json;
import dev.sendsar.ports.MessageRepository;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.sendsar.dynamo.Attrs.n;
import static dev.sendsar.dynamo.Attrs.num;
import static dev.sendsar.dynamo.Attrs.s;
import static dev.sendsar.dynamo.Attrs.str;

/** Messages are stored whole as one JSON document under their seq, so the stored form is the API form. */
@Singleton
public class DynamoMessageRepository implements MessageRepository {
    private static final String LAST_SEQ = TableKeys.message(999_999_999_999L);
    /** A slice of history stops reading once it holds this much stored JSON (see {@link #query}). */
    static final long MAX_SLICE_BYTES = 1024 * 1024;
    /** Lost races on one message (two reactions at once) are re-applied; this many, then 503 {@code message_busy}. */
    static final int MAX_UPDATE_ATTEMPTS = 25;
    /** Cancellation reasons of a lost race; anything else (an item too large, a bad request) is not retried. */
    private static final java.util.Set<String> RETRYABLE = java.util.Set.of("None", "ConditionalCheckFailed", "TransactionConflict");

    private final DynamoDbClient dynamo;
    private final String table;
    private final Json json;

    public DynamoMessageRepository(DynamoDbClient dynamo, SendsarConfig config, Json json) {
        this.dynamo = dynamo;
        this.table = config.getTable();
        this.json = json;
    }

    /** The stored form of a message: the whole document under its seq (a membership change writes one too). */
    static Map<String, AttributeValue> messageItem(String tenantId, Message message, Json json) {
        return Map.of(TableKeys.PK, s(TableKeys.room(tenantId, message.roomId())), TableKeys.SK, s(TableKeys.message(message.seq())),
                "doc", s(json.write(message)));
    }

    @Override
    public PutResult put(String tenantId, Message message, boolean quiet) {
        Map<String, AttributeValue> item = messageItem(tenantId, message, json);
        if (quiet) {
            item = new java.util.HashMap<>(item);
            item.put(TableKeys.QUIET, AttributeValue.fromBool(true));
        }
        Map<String, AttributeValue> stored = item;
        try {
            dynamo.putItem(b -> b.tableName(table).item(stored)
                    .conditionExpression("attribute_not_exists(PK)")
                    // the refusal hands back the message that holds the seq: the next seq is known without a read
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return new PutResult.Stored(message);
        } catch (ConditionalCheckFailedException taken) {
            Map<String, AttributeValue> occupant = taken.item() != null && !taken.item().isEmpty() ? taken.item()
                    : dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                            .key(Map.of(TableKeys.PK, stored.get(TableKeys.PK), TableKeys.SK, stored.get(TableKeys.SK)))).item();
            if (occupant == null || occupant.isEmpty()) {
                throw taken;
            }
            // the SDK tries a call again when an attempt's answer is lost (a reset connection, a timeout); if the lost
            // attempt was this put's and DynamoDB applied it, the retry is refused by the very item this put wrote
            return stored.equals(occupant) ? new PutResult.Stored(message)
                    : new PutResult.Taken(toMessage(occupant));
        }
    }

    @Override
    public void unquiet(String tenantId, Message message) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(Map.of(TableKeys.PK, s(TableKeys.room(tenantId, message.roomId())),
                            TableKeys.SK, s(TableKeys.message(message.seq()))))
                    .updateExpression("REMOVE #quiet").conditionExpression("attribute_exists(#quiet)")
                    .expressionAttributeNames(Map.of("#quiet", TableKeys.QUIET)));
        } catch (ConditionalCheckFailedException notMarked) {
            // taken off before (a retried call) or never put on
        }
    }

    /** Tries of a room item's move: each refusal by a last sender other than the one guessed names the right one. */
    static final int MAX_MOVE_ATTEMPTS = 3;

    /**
     * One conditional update moves the room item and names the sender ({@link DynamoRoomRepository#moveTo}): its
     * condition is the last sender the write was chosen for, and it hands back the item it overwrote, so whatever
     * position left the item is known and kept in its sender's cursor. A refusal hands back the item as it is: a
     * newer message moved the room first (the sender's own position goes to its cursor, unless the item names it),
     * or another sender is last (tried again for that one, a few times; then the sender's cursor takes the position
     * and the room item is passed by the next send).
     */
    @Override
    public void markNewest(String tenantId, Message message, String lastSender) {
        Map<String, AttributeValue> key = Map.of(TableKeys.PK, s(TableKeys.room(tenantId, message.roomId())), TableKeys.SK, s(TableKeys.META));
        LastMessage newest = LastMessage.of(message);
        String expected = lastSender;
        for (int attempt = 0; attempt < MAX_MOVE_ATTEMPTS; attempt++) {
            Map<String, AttributeValue> values = new java.util.HashMap<>(DynamoRoomRepository.moveValues(json, newest));
            if (expected != null) {
                values.put(":expected", s(expected));
            }
            String guess = expected;
            try {
                Map<String, AttributeValue> before = dynamo.updateItem(b -> b.tableName(table).key(key)
                        .updateExpression("SET " + DynamoRoomRepository.moveTo(guess, message.senderId()))
                        .conditionExpression("lastSeq < :seq AND " + (guess == null
                                ? "attribute_not_exists(" + DynamoRoomRepository.LAST_SENDER + ")"
                                : DynamoRoomRepository.LAST_SENDER + " = :expected"))
                        .expressionAttributeValues(values)
                        .returnValues(ReturnValue.ALL_OLD)
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)).attributes();
                Room was = DynamoRoomRepository.roomOf(before, List.of(), json);
                DynamoRoomRepository.keepReads(dynamo, table, tenantId, message.roomId(), was.positionsLeftIn(was.withLastMessage(newest)));
                return;
            } catch (ConditionalCheckFailedException refused) {
                Map<String, AttributeValue> item = refused.item() != null && !refused.item().isEmpty() ? refused.item()
                        : dynamo.getItem(b -> b.tableName(table).consistentRead(true).key(key)).item();
                if (item == null || item.isEmpty()) {
                    return;
                }
                Room now = DynamoRoomRepository.roomOf(item, List.of(), json);
                if (now.lastSeq() >= message.seq()) {
                    if (!now.namesReadThrough(message.senderId(), message.seq())) {
                        DynamoRoomRepository.keepReads(dynamo, table, tenantId, message.roomId(), List.of(newest));
                    }
                    return;
                }
                expected = str(item, DynamoRoomRepository.LAST_SENDER);
            }
        }
        DynamoRoomRepository.keepReads(dynamo, table, tenantId, message.roomId(), List.of(newest));
    }

    private static Map<String, AttributeValue> clientKey(String tenantId, ClientKey key) {
        return Map.of(TableKeys.PK, s(TableKeys.room(tenantId, key.roomId())),
                TableKeys.SK, s(TableKeys.clientMessage(key.senderId(), key.clientMessageId())));
    }

    /** A lost claim read back: the put's refusal carries it; a claim dropped meanwhile is claimed again, a few times. */
    private static final int MAX_RESERVE_ATTEMPTS = 3;

    @Override
    public Optional<Reservation> reserve(String tenantId, ClientKey key, Reservation mine) {
        Map<String, AttributeValue> item = new java.util.HashMap<>(clientKey(tenantId, key));
        item.put("owner", s(mine.owner()));
        item.put("seq", n(mine.seq()));
        item.put("attemptAt", s(mine.attemptAt()));
        for (int attempt = 0; attempt < MAX_RESERVE_ATTEMPTS; attempt++) {
            try {
                dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(PK)")
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
                return Optional.empty();
            } catch (ConditionalCheckFailedException held) {
                Optional<Reservation> holder = held.item() != null && !held.item().isEmpty()
                        ? Optional.of(toReservation(held.item())) : reservation(tenantId, key);
                if (holder.isPresent()) {
                    // an SDK retry refused by this very claim (its first attempt's answer was lost): it is ours
                    return mine.owner().equals(holder.get().owner()) ? Optional.empty() : holder;
                }
            }
        }
        throw Retries.busy(ErrorCode.ROOM_BUSY, "The room is too busy right now; retry with the same clientMessageId");
    }

    @Override
    public Optional<Reservation> reservation(String tenantId, ClientKey key) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).consistentRead(true).key(clientKey(tenantId, key))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(toReservation(item));
    }

    private static Reservation toReservation(Map<String, AttributeValue> item) {
        return new Reservation(str(item, "owner"), num(item, "seq"), str(item, "attemptAt"));
    }

    @Override
    public boolean moveReservation(String tenantId, ClientKey key, String owner, long seq) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(clientKey(tenantId, key)).updateExpression("SET seq = :seq")
                    .conditionExpression("#owner = :owner").expressionAttributeNames(Map.of("#owner", "owner"))
                    .expressionAttributeValues(Map.of(":seq", n(seq), ":owner", s(owner))));
            return true;
        } catch (ConditionalCheckFailedException notOurs) {
            return false;
        }
    }

    @Override
    public boolean takeOver(String tenantId, ClientKey key, Reservation stale, Reservation mine) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(clientKey(tenantId, key))
                    .updateExpression("SET #owner = :owner, seq = :seq, attemptAt = :at")
                    // as it was read: a claim whose seq moved since has a living owner
                    .conditionExpression("#owner = :old AND seq = :oldSeq")
                    .expressionAttributeNames(Map.of("#owner", "owner"))
                    .expressionAttributeValues(Map.of(":owner", s(mine.owner()), ":seq", n(mine.seq()), ":at", s(mine.attemptAt()),
                            ":old", s(stale.owner()), ":oldSeq", n(stale.seq())))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return true;
        } catch (ConditionalCheckFailedException changed) {
            // an SDK retry refused by this very take-over (its first attempt's answer was lost): it is ours
            return changed.hasItem() && mine.owner().equals(str(changed.item(), "owner"));
        }
    }

    @Override
    public void release(String tenantId, ClientKey key, String owner) {
        try {
            dynamo.deleteItem(b -> b.tableName(table).key(clientKey(tenantId, key)).conditionExpression("#owner = :owner")
                    .expressionAttributeNames(Map.of("#owner", "owner")).expressionAttributeValues(Map.of(":owner", s(owner))));
        } catch (ConditionalCheckFailedException notOurs) {
            // taken over meanwhile: the claim is someone else's now
        }
    }

    /** Whether the transaction's write at {@code index} was refused by its condition. */
    static boolean failed(List<CancellationReason> reasons, int index) {
        return reasons.size() > index && "ConditionalCheckFailed".equals(reasons.get(index).code());
    }

    @Override
    public Optional<Message> findBySeq(String tenantId, String roomId, long seq) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).consistentRead(true).key(Map.of(
                TableKeys.PK, s(TableKeys.room(tenantId, roomId)), TableKeys.SK, s(TableKeys.message(seq))))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(toMessage(item));
    }

    /** The id carries the seq ({@link Ids#messageId}); the message under that seq counts only if its id is this one. */
    @Override
    public Optional<Message> findById(String tenantId, String roomId, String messageId) {
        long seq = Ids.seqOfMessageId(messageId);
        return seq == 0 ? Optional.empty() : findBySeq(tenantId, roomId, seq).filter(m -> m.id().equals(messageId));
    }

    @Override
    public Map<String, Message> findByIds(String tenantId, String roomId, java.util.Collection<String> messageIds) {
        AttributeValue pk = s(TableKeys.room(tenantId, roomId));
        java.util.Set<String> wanted = new java.util.HashSet<>(messageIds);
        Map<String, Message> found = new java.util.HashMap<>();
        BatchReads.getAll(dynamo, table, wanted.stream().mapToLong(Ids::seqOfMessageId).filter(seq -> seq > 0).distinct()
                        .mapToObj(seq -> Map.of(TableKeys.PK, pk, TableKeys.SK, s(TableKeys.message(seq)))).toList())
                .forEach(item -> {
                    Message m = toMessage(item);
                    if (wanted.contains(m.id())) {
                        found.put(m.id(), m);
                    }
                });
        return found;
    }

    @Override
    public Optional<Message> update(String tenantId, String roomId, long seq, java.util.function.UnaryOperator<Message> change) {
        String pk = TableKeys.room(tenantId, roomId);
        Map<String, AttributeValue> key = Map.of(TableKeys.PK, s(pk), TableKeys.SK, s(TableKeys.message(seq)));
        boolean mayBeLast = true;
        Room behind = null; // the room item as read when it has not reached this message yet
        for (int attempt = 1; attempt <= MAX_UPDATE_ATTEMPTS; attempt++) {
            Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).consistentRead(true).key(key)).item();
            if (item == null || item.isEmpty()) {
                return Optional.empty();
            }
            Message before = toMessage(item);
            Message after = change.apply(before);
            if (after.equals(before)) {
                return Optional.of(before);
            }
            long revision = num(item, "rev");
            List<TransactWriteItem> writes = new ArrayList<>(3);
            writes.add(TransactWriteItem.builder().update(u -> u.tableName(table).key(key)
                    .updateExpression("SET doc = :doc, rev = :next")
                    .conditionExpression("attribute_not_exists(rev) OR rev = :rev")
                    .expressionAttributeValues(Map.of(":doc", s(json.write(after)), ":next", n(revision + 1),
                            ":rev", n(revision)))).build());
            // the room list shows the newest message's preview: it changes with that message, in the same transaction.
            // The room's lastSeq may still be behind this message (its sender moves it after the put, see
            // markNewest): the edit then moves it here itself, as the sender's move would (conditioned on the room
            // item as read, whose named positions it keeps), so the sender's later move of the old preview is refused.
            LastMessage preview = LastMessage.of(after);
            boolean previewChanged = mayBeLast && !preview.equals(LastMessage.of(before));
            Room from = behind;
            if (previewChanged) {
                Map<String, AttributeValue> values = new java.util.HashMap<>(DynamoRoomRepository.moveValues(json, preview));
                values.put(":known", n(from == null ? seq : from.lastSeq()));
                writes.add(TransactWriteItem.builder().update(u -> u.tableName(table)
                        .key(Map.of(TableKeys.PK, s(pk), TableKeys.SK, s(TableKeys.META)))
                        .updateExpression(from == null ? "SET " + DynamoRoomRepository.LAST_PREVIEW + " = :preview"
                                : "SET " + DynamoRoomRepository.moveTo(from.lastMessage() == null ? null : from.lastMessage().senderId(),
                                        after.senderId()))
                        .conditionExpression("lastSeq = :known")
                        .expressionAttributeValues(from == null ? Map.of(":preview", values.get(":preview"), ":known", values.get(":known")) : values)
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)).build());
            }
            Map<String, AttributeValue> pinKey = Map.of(TableKeys.PK, s(pk), TableKeys.SK, s(TableKeys.pin(seq)));
            if (after.pinnedAt() != null && before.pinnedAt() == null) {
                writes.add(TransactWriteItem.builder().put(p -> p.tableName(table).item(Map.of(TableKeys.PK, s(pk),
                        TableKeys.SK, s(TableKeys.pin(seq)), "seq", n(seq), "pinnedAt", s(after.pinnedAt())))).build());
            } else if (after.pinnedAt() == null && before.pinnedAt() != null) {
                writes.add(TransactWriteItem.builder().delete(d -> d.tableName(table).key(pinKey)).build());
            }
            try {
                dynamo.transactWriteItems(b -> b.transactItems(writes));
                if (previewChanged && from != null) {
                    DynamoRoomRepository.keepReads(dynamo, table, tenantId, roomId, from.positionsLeftIn(from.withLastMessage(preview)));
                }
                return Optional.of(after);
            } catch (TransactionCanceledException e) {
                List<CancellationReason> reasons = e.cancellationReasons();
                if (previewChanged && failed(reasons, 1) && !failed(reasons, 0)) {
                    Map<String, AttributeValue> roomItem = reasons.get(1).hasItem() && !reasons.get(1).item().isEmpty() ? reasons.get(1).item()
                            : dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                                    .key(Map.of(TableKeys.PK, s(pk), TableKeys.SK, s(TableKeys.META)))).item();
                    Room head = DynamoRoomRepository.roomOf(roomItem, List.of(), json);
                    // a newer message is the room's last: its preview is not ours to change
                    mayBeLast = head.lastSeq() <= seq;
                    behind = head.lastSeq() < seq ? head : null;
                } else if (!reasons.stream().allMatch(r -> RETRYABLE.contains(r.code()))) {
                    throw e;
                }
                Retries.pause(attempt);
            }
        }
        throw Retries.busy(ErrorCode.MESSAGE_BUSY, "The message is changing too fast right now; retry");
    }

    @Override
    public List<Message> pinned(String tenantId, String roomId) {
        List<Long> seqs = dynamo.query(b -> b.tableName(table).consistentRead(true)
                        .keyConditionExpression("PK = :pk AND begins_with(SK, :p)")
                        .expressionAttributeValues(Map.of(":pk", s(TableKeys.room(tenantId, roomId)), ":p", s(TableKeys.PIN_PREFIX))))
                .items().stream().sorted(java.util.Comparator.comparing((Map<String, AttributeValue> i) -> str(i, "pinnedAt")).reversed())
                .map(i -> num(i, "seq")).toList();
        List<Message> found = new ArrayList<>();
        for (long seq : seqs) {
            findBySeq(tenantId, roomId, seq).ifPresent(found::add);
        }
        return found;
    }

    @Override
    public Slice before(String tenantId, String roomId, Long beforeSeq, int limit) {
        String upper = beforeSeq == null ? LAST_SEQ : TableKeys.message(Math.max(0, beforeSeq - 1));
        return query(tenantId, roomId, TableKeys.message(1), upper, false, limit);
    }

    @Override
    public Slice after(String tenantId, String roomId, long afterSeq, int limit) {
        return query(tenantId, roomId, TableKeys.message(afterSeq + 1), LAST_SEQ, true, limit);
    }

    /**
     * Reads on past DynamoDB's 1 MB pages until the slice is full (one message more than asked says whether more
     * follow), or until it holds {@link #MAX_SLICE_BYTES}: then it ends early with {@code more}, so a response of
     * large messages stays far below Lambda's 6 MB.
     */
    private Slice query(String tenantId, String roomId, String from, String to, boolean forward, int limit) {
        if (from.compareTo(to) > 0) {
            return new Slice(List.of(), false);
        }
        List<Message> found = new ArrayList<>();
        long bytes = 0;
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> startKey = start;
            int wanted = limit + 1 - found.size();
            var page = dynamo.query(b -> b.tableName(table).consistentRead(true)
                    .keyConditionExpression("PK = :pk AND SK BETWEEN :from AND :to")
                    .expressionAttributeValues(Map.of(":pk", s(TableKeys.room(tenantId, roomId)), ":from", s(from), ":to", s(to)))
                    .scanIndexForward(forward)
                    .exclusiveStartKey(startKey)
                    .limit(wanted));
            for (Map<String, AttributeValue> item : page.items()) {
                found.add(toMessage(item));
                bytes += str(item, "doc").length();
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null && found.size() <= limit && bytes < MAX_SLICE_BYTES);
        boolean more = found.size() > limit || start != null;
        return new Slice(found.size() > limit ? List.copyOf(found.subList(0, limit)) : found, more);
    }

    private Message toMessage(Map<String, AttributeValue> item) {
        return messageOf(item, json);
    }

    static Message messageOf(Map<String, AttributeValue> item, Json json) {
        try {
            return json.read(str(item, "doc"), Message.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
