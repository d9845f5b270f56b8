package dev.sendsar.dynamo;

import dev.sendsar.config.SendsarConfig;
import dev.sendsar.domain.LastMessage;
import dev.sendsar.domain.Member;
import dev.sendsar.domain.Message;
import dev.sendsar.domain.Retries;
import dev.sendsar.error.ErrorCode;
import dev.sendsar.domain.Page;
import dev.sendsar.domain.Role;
import dev.sendsar.domain.Room;
import dev.sendsar.json.Json;
import dev.sendsar.ports.RoomRepository;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ItemResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

import dev.sendsar.ports.RoomRepository.Listed;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongFunction;

import static dev.sendsar.dynamo.Attrs.bool;
import static dev.sendsar.dynamo.Attrs.n;
import static dev.sendsar.dynamo.Attrs.num;
import static dev.sendsar.dynamo.Attrs.s;
import static dev.sendsar.dynamo.Attrs.str;

@Singleton
public class DynamoRoomRepository implements RoomRepository {
    private final DynamoDbClient dynamo;
    private final String table;
    private final Json json;

    public DynamoRoomRepository(DynamoDbClient dynamo, SendsarConfig config, Json json) {
        this.dynamo = dynamo;
        this.table = config.getTable();
        this.json = json;
    }

    @Override
    public Room create(String tenantId, Room room, List<Member> members) {
        List<TransactWriteItem> writes = new ArrayList<>();
        Map<String, AttributeValue> meta = new HashMap<>();
        meta.put(TableKeys.PK, s(TableKeys.room(tenantId, room.id())));
        meta.put(TableKeys.SK, s(TableKeys.META));
        meta.put("id", s(room.id()));
        meta.put("name", s(room.name()));
        meta.put("avatarUrl", s(room.avatarUrl()));
        meta.put("externalId", s(room.externalId()));
        meta.put("customType", s(room.customType()));
        meta.put("metadata", s(room.metadata() == null ? null : json.write(room.metadata())));
        meta.put("frozen", bool(room.frozen()));
        meta.put("lastSeq", n(room.lastSeq()));
        meta.put(MEMBERS_VERSION, n(room.membersVersion()));
        meta.put("createdAt", s(room.createdAt()));
        meta.put("updatedAt", s(room.updatedAt()));
        writes.add(TransactWriteItem.builder().put(p -> p.tableName(table).item(meta)
                .conditionExpression("attribute_not_exists(PK)")).build());
        writes.add(TransactWriteItem.builder().put(p -> p.tableName(table).item(Map.of(
                TableKeys.PK, s(TableKeys.room(tenantId, room.id())), TableKeys.SK, s(TableKeys.MEMBERS),
                MEMBER_IDS, ids(room.memberIds()), MEMBERS_VERSION, n(room.membersVersion())))).build());
        for (Member m : members) {
            writes.add(TransactWriteItem.builder().put(p -> p.tableName(table).item(memberItem(tenantId, m, room.createdAt()))).build());
        }
        if (room.externalId() != null) {
            writes.add(TransactWriteItem.builder().put(p -> p.tableName(table)
                    .item(Map.of(TableKeys.PK, s(TableKeys.externalId(tenantId, room.externalId())),
                            TableKeys.SK, s(TableKeys.ROOM), "roomId", s(room.id())))
                    .conditionExpression("attribute_not_exists(PK)")).build());
        }
        try {
            dynamo.transactWriteItems(b -> b.transactItems(writes));
            return room;
        } catch (TransactionCanceledException e) {
            List<CancellationReason> reasons = e.cancellationReasons();
            boolean externalIdTaken = room.externalId() != null && reasons.size() == writes.size()
                    && "ConditionalCheckFailed".equals(reasons.get(writes.size() - 1).code());
            if (externalIdTaken) {
                return findIdByExternalId(tenantId, room.externalId()).flatMap(id -> find(tenantId, id))
                        .orElseThrow(() -> e);
            }
            throw e;
        }
    }

    private Map<String, AttributeValue> memberItem(String tenantId, Member m, String activityAt) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(TableKeys.PK, s(TableKeys.room(tenantId, m.roomId())));
        item.put(TableKeys.SK, s(TableKeys.member(m.userId())));
        item.put(TableKeys.GSI1_PK, s(TableKeys.user(tenantId, m.userId())));
        item.put(TableKeys.GSI1_SK, s(TableKeys.activity(activityAt, m.roomId())));
        item.put("roomId", s(m.roomId()));
        item.put("userId", s(m.userId()));
        item.put("username", s(m.username()));
        item.put("role", s(m.role().name()));
        item.put("joinedAt", s(m.joinedAt()));
        item.put("lastReadSeq", n(m.lastReadSeq()));
        item.put("lastReadMessageId", s(m.lastReadMessageId()));
        item.put("lastReadAt", s(m.lastReadAt()));
        item.put("lastDeliveredSeq", n(m.lastDeliveredSeq()));
        item.put("lastDeliveredMessageId", s(m.lastDeliveredMessageId()));
        item.put("lastDeliveredAt", s(m.lastDeliveredAt()));
        item.put("hiddenUntilSeq", n(m.hiddenUntilSeq()));
        item.put("clearedThroughSeq", n(m.clearedThroughSeq()));
        return item;
    }

    /**
     * The room item and its member ids in one consistent query: they are neighbours in the room's partition. A query
     * reads each item committed but not the two as one snapshot: a member change committing between the two reads
     * would pair the old list with the new version, and a send would then authorize a member who just left. Both
     * items carry the version; when they differ the two are read again as a snapshot (TransactGetItems).
     */
    @Override
    public Optional<Room> find(String tenantId, String roomId) {
        List<Map<String, AttributeValue>> items = dynamo.query(b -> b.tableName(table).consistentRead(true)
                .keyConditionExpression("PK = :pk AND SK BETWEEN :members AND :meta")
                .expressionAttributeValues(Map.of(":pk", s(TableKeys.room(tenantId, roomId)),
                        ":members", s(TableKeys.MEMBERS), ":meta", s(TableKeys.META)))).items();
        Map<String, AttributeValue> meta = null;
        Map<String, AttributeValue> list = null;
        for (Map<String, AttributeValue> item : items) {
            if (TableKeys.META.equals(str(item, TableKeys.SK))) {
                meta = item;
            } else {
                list = item;
            }
        }
        if (meta != null && (list == null || meta.get(MEMBERS_VERSION) == null
                || !meta.get(MEMBERS_VERSION).equals(list.get(MEMBERS_VERSION)))) {
            List<Map<String, AttributeValue>> snapshot = dynamo.transactGetItems(b -> b.transactItems(
                    TransactGetItem.builder().get(g -> g.tableName(table).key(metaKey(tenantId, roomId))).build(),
                    TransactGetItem.builder().get(g -> g.tableName(table).key(membersKey(tenantId, roomId))).build()))
                    .responses().stream().map(ItemResponse::item).toList();
            meta = snapshot.get(0);
            list = snapshot.get(1);
        }
        return meta == null || meta.isEmpty() ? Optional.empty()
                : Optional.of(toRoom(meta, list == null || list.isEmpty() ? List.of() : memberIds(list)));
    }

    @Override
    public Map<String, Room> findAll(String tenantId, Collection<String> roomIds) {
        Map<String, Room> found = new HashMap<>();
        BatchReads.getAll(dynamo, table, roomIds.stream().map(id -> metaKey(tenantId, id)).toList())
                .forEach(item -> found.put(str(item, "id"), toRoom(item, List.of())));
        return found;
    }

    @Override
    public Optional<String> findIdByExternalId(String tenantId, String externalId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of(TableKeys.PK, s(TableKeys.externalId(tenantId, externalId)), TableKeys.SK, s(TableKeys.ROOM)))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.ofNullable(str(item, "roomId"));
    }

    @Override
    public Optional<Room> update(String tenantId, String roomId, RoomChanges changes) {
        Map<String, AttributeValue> values = new HashMap<>();
        Map<String, String> names = new HashMap<>();
        StringBuilder set = new StringBuilder("SET updatedAt = :updatedAt");
        values.put(":updatedAt", s(changes.updatedAt()));
        java.util.function.BiConsumer<String, AttributeValue> field = (name, value) -> {
            set.append(", #").append(name).append(" = :").append(name);
            names.put("#" + name, name);
            values.put(":" + name, value);
        };
        if (changes.name() != null) field.accept("name", s(changes.name()));
        if (changes.metadata() != null) field.accept("metadata", s(json.write(changes.metadata())));
        if (changes.avatarUrl() != null) field.accept("avatarUrl", s(changes.avatarUrl()));
        if (changes.customType() != null) field.accept("customType", s(changes.customType()));
        if (changes.frozen() != null) field.accept("frozen", bool(changes.frozen()));
        try {
            dynamo.updateItem(b -> b.tableName(table).key(metaKey(tenantId, roomId))
                    .updateExpression(set.toString())
                    .conditionExpression("attribute_exists(PK)")
                    .expressionAttributeNames(names.isEmpty() ? null : names)
                    .expressionAttributeValues(values));
            return find(tenantId, roomId);
        } catch (ConditionalCheckFailedException missing) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<Message> addMember(String tenantId, Room room, Member member, LongFunction<Message> recordAt) {
        List<String> after = new ArrayList<>(room.memberIds());
        after.add(member.userId());
        return changeMembers(tenantId, room, after, TransactWriteItem.builder().put(p -> p.tableName(table)
                .item(memberItem(tenantId, member, member.joinedAt()))
                .conditionExpression("attribute_not_exists(PK)")).build(), recordAt);
    }

    @Override
    public Optional<Message> removeMember(String tenantId, Room room, String userId, LongFunction<Message> recordAt) {
        List<String> after = new ArrayList<>(room.memberIds());
        after.remove(userId);
        return changeMembers(tenantId, room, after, TransactWriteItem.builder().delete(d -> d.tableName(table)
                .key(Map.of(TableKeys.PK, s(TableKeys.room(tenantId, room.id())), TableKeys.SK, s(TableKeys.member(userId))))
                .conditionExpression("attribute_exists(PK)")).build(), recordAt);
    }

    /** A membership record's seq taken by a message: the change tries the next seq, this many times at most. */
    static final int MAX_RECORD_ATTEMPTS = 100;

    /**
     * Compares and sets the member id list, writes the member item, moves {@code membersVersion} on the room item
     * (which every send reads, to learn that its member list is stale) and on the list (so {@link #find} can tell a
     * list of another version), and puts the change's record in the timeline at the room's next seq, all in one
     * transaction: a send either lands before the record (to the old list) or finds the record at a seq it tries
     * and reads the list again. The room item's {@code lastSeq} moves to the record too, so a send that reads the
     * new list starts past its record. A record's seq taken by a message meanwhile moves the record to the next
     * seq (the refusal hands back the message there). {@code room} must be one snapshot: its list and version are
     * both compared; its {@code lastSeq} exists. The record becomes the room's last message as a send's does
     * ({@link #moveTo}); a transaction hands back nothing it overwrote, so the move is conditioned on the room item
     * as read ({@code lastSeq}, which moves with every change of its named messages), re-read when a send moved it
     * meanwhile, and a read position it stops naming goes to that sender's cursor after the commit.
     */
    private Optional<Message> changeMembers(String tenantId, Room room, List<String> after, TransactWriteItem memberWrite,
                                            LongFunction<Message> recordAt) {
        AttributeValue next = n(room.membersVersion() + 1);
        TransactWriteItem list = TransactWriteItem.builder().update(u -> u.tableName(table).key(membersKey(tenantId, room.id()))
                .updateExpression("SET " + MEMBER_IDS + " = :after, " + MEMBERS_VERSION + " = :next")
                .conditionExpression(MEMBER_IDS + " = :before")
                .expressionAttributeValues(Map.of(":after", ids(after), ":before", ids(room.memberIds()), ":next", next))).build();
        Room known = room;
        long seq = room.lastSeq() + 1;
        for (int attempt = 0; attempt < MAX_RECORD_ATTEMPTS; attempt++) {
            Message record = recordAt.apply(seq);
            LastMessage newest = LastMessage.of(record);
            Map<String, AttributeValue> values = new HashMap<>(moveValues(json, newest));
            values.put(":current", n(room.membersVersion()));
            values.put(":next", next);
            values.put(":known", n(known.lastSeq()));
            String lastSender = known.lastMessage() == null ? null : known.lastMessage().senderId();
            // nothing newer than the record can exist when it commits (its seq is free), so lastSeq only moves forward
            TransactWriteItem version = TransactWriteItem.builder().update(u -> u.tableName(table).key(metaKey(tenantId, room.id()))
                    .updateExpression("SET " + MEMBERS_VERSION + " = :next, " + moveTo(lastSender, record.senderId()))
                    .conditionExpression(MEMBERS_VERSION + " = :current AND lastSeq = :known")
                    .expressionAttributeValues(values)).build();
            TransactWriteItem put = TransactWriteItem.builder().put(p -> p.tableName(table)
                    .item(DynamoMessageRepository.messageItem(tenantId, record, json))
                    .conditionExpression("attribute_not_exists(PK)")).build();
            try {
                dynamo.transactWriteItems(b -> b.transactItems(list, version, memberWrite, put));
                keepReads(dynamo, table, tenantId, room.id(), known.positionsLeftIn(known.withLastMessage(newest)));
                return Optional.of(record);
            } catch (TransactionCanceledException refused) {
                List<CancellationReason> reasons = refused.cancellationReasons();
                boolean listHeld = reasons.size() > 2 && "None".equals(reasons.get(0).code()) && "None".equals(reasons.get(2).code());
                boolean roomMoved = DynamoMessageRepository.failed(reasons, 1);
                boolean seqTaken = DynamoMessageRepository.failed(reasons, 3);
                if (!listHeld || (!roomMoved && !seqTaken)) {
                    return Optional.empty(); // the list changed (or a conflicting write): re-read and retry
                }
                if (seqTaken) {
                    seq++;
                }
                if (roomMoved) {
                    // a send moved the room item since it was read (or the version moved: then the list did too)
                    Optional<Room> head = head(tenantId, room.id());
                    if (head.isEmpty() || head.get().membersVersion() != room.membersVersion()) {
                        return Optional.empty();
                    }
                    known = head.get();
                    seq = Math.max(seq, known.lastSeq() + 1);
                }
            }
        }
        throw Retries.busy(ErrorCode.ROOM_BUSY, "The room is too busy right now; retry");
    }

    @Override
    public Optional<Member> advanceCursor(String tenantId, String roomId, String userId, Cursor cursor, long seq,
                                          String messageId, String at) {
        try {
            Map<String, AttributeValue> item = dynamo.updateItem(cursorMove(table, tenantId, roomId, userId, cursor, seq, messageId, at)
                    .returnValues(software.amazon.awssdk.services.dynamodb.model.ReturnValue.ALL_NEW).build()).attributes();
            return Optional.of(toMember(item));
        } catch (ConditionalCheckFailedException notForward) {
            return member(tenantId, roomId, userId);
        }
    }

    /** A cursor moved forward only, on an existing member item only: it never re-creates a member who left. */
    private static UpdateItemRequest.Builder cursorMove(String table, String tenantId, String roomId, String userId, Cursor cursor,
                                                        long seq, String messageId, String at) {
        String prefix = cursor == Cursor.READ ? "lastRead" : "lastDelivered";
        return UpdateItemRequest.builder().tableName(table)
                .key(Map.of(TableKeys.PK, s(TableKeys.room(tenantId, roomId)), TableKeys.SK, s(TableKeys.member(userId))))
                .updateExpression("SET " + prefix + "Seq = :seq, " + prefix + "MessageId = :id, " + prefix + "At = :at")
                .conditionExpression("attribute_exists(PK) AND " + prefix + "Seq < :seq")
                .expressionAttributeValues(Map.of(":seq", n(seq), ":id", s(messageId), ":at", s(at)));
    }

    /**
     * Writes read positions the room item stopped naming (see {@link #moveTo}) to their senders' read cursors, so
     * nobody's own message turns unread: forward only, and nothing for a sender who left the room.
     */
    static void keepReads(DynamoDbClient dynamo, String table, String tenantId, String roomId, List<LastMessage> positions) {
        for (LastMessage p : positions) {
            try {
                dynamo.updateItem(cursorMove(table, tenantId, roomId, p.senderId(), Cursor.READ, p.seq(), p.id(), p.createdAt()).build());
            } catch (ConditionalCheckFailedException alreadyPastOrGone) {
                // the cursor was there already, or the sender is no member any more
            }
        }
    }

    /** On the room item: the sender of {@code lastMessage}, top level so that a condition can name it. */
    static final String LAST_SENDER = "lastSenderId";
    /**
     * On the room item: the last message's preview, apart from {@code lastMessage} (its id, seq, sender and time),
     * so that copying the last message into {@code priorMessage} copies no text: the item stays small (a write is
     * billed per KB of the item) whatever the previews.
     */
    static final String LAST_PREVIEW = "lastPreview";

    /**
     * The SET actions that move the room item to a newer message by {@code sender}, from an item whose last message
     * is by {@code lastSender} (null: none yet): the last message becomes the prior one when another user sent it
     * (DynamoDB reads every operand before it writes, so {@code priorMessage = lastMessage} copies the old one);
     * a message of the same sender replaces the last one (see {@link Room#withLastMessage}). Values:
     * {@link #moveValues}.
     */
    static String moveTo(String lastSender, String sender) {
        String set = "lastSeq = :seq, lastMessage = :newest, " + LAST_PREVIEW + " = :preview, " + LAST_SENDER
                + " = :sender, updatedAt = :now";
        return lastSender == null || lastSender.equals(sender) ? set : "priorMessage = lastMessage, " + set;
    }

    static Map<String, AttributeValue> moveValues(Json json, LastMessage newest) {
        LastMessage position = new LastMessage(newest.id(), newest.seq(), newest.senderId(), null, newest.createdAt());
        return Map.of(":seq", n(newest.seq()), ":newest", s(json.write(position)), ":preview", s(newest.previewText()),
                ":sender", s(newest.senderId()), ":now", s(newest.createdAt()));
    }

    @Override
    public Optional<Member> saveMember(String tenantId, Member m) {
        try {
            Map<String, AttributeValue> item = dynamo.updateItem(b -> b.tableName(table)
                    .key(Map.of(TableKeys.PK, s(TableKeys.room(tenantId, m.roomId())), TableKeys.SK, s(TableKeys.member(m.userId()))))
                    .updateExpression("SET #role = :role, hiddenUntilSeq = :hidden, clearedThroughSeq = :cleared, mutedUntil = :muted")
                    .conditionExpression("attribute_exists(PK)")
                    .expressionAttributeNames(Map.of("#role", "role"))
                    .expressionAttributeValues(Map.of(":role", s(m.role().name()), ":hidden", n(m.hiddenUntilSeq()),
                            ":cleared", n(m.clearedThroughSeq()), ":muted", s(m.mutedUntil())))
                    .returnValues(software.amazon.awssdk.services.dynamodb.model.ReturnValue.ALL_NEW)).attributes();
            return Optional.of(toMember(item));
        } catch (ConditionalCheckFailedException notMember) {
            return Optional.empty();
        }
    }

    @Override
    public List<Member> members(String tenantId, String roomId) {
        List<Member> members = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            // consistent: participants are read right after they change (add, role, remove) and shown in the answer
            QueryResponse page = dynamo.query(b -> b.tableName(table).consistentRead(true)
                    .keyConditionExpression("PK = :pk AND begins_with(SK, :m)")
                    .expressionAttributeValues(Map.of(":pk", s(TableKeys.room(tenantId, roomId)), ":m", s(TableKeys.MEMBER_PREFIX)))
                    .exclusiveStartKey(from));
            page.items().forEach(item -> members.add(toMember(item)));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return members;
    }

    @Override
    public Optional<Member> member(String tenantId, String roomId, String userId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).consistentRead(true).key(Map.of(
                TableKeys.PK, s(TableKeys.room(tenantId, roomId)), TableKeys.SK, s(TableKeys.member(userId))))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(toMember(item));
    }

    /**
     * Reads the keys of the user's memberships (GSI1, newest joined first), then each membership's member item and
     * room item in the same batch reads (they share the room's partition; 50 rooms per batch of 100 keys), and sorts
     * them by the rooms' last activity here: so a send moves the room up every member's list without a write per
     * member. GSI1 holds no member attributes (so a cursor move does not write it); the member items carry the
     * cursors a list shows. A list costs reads in proportion to the user's rooms, bounded by {@link #MAX_LISTED_ROOMS}.
     */
    @Override
    public Page<Listed> roomsOf(String tenantId, String userId, String cursor, int limit) {
        String after = null;
        if (cursor != null) {
            after = Cursors.decode(cursor);
            if (!after.startsWith("A#") || after.lastIndexOf("#R#") < 0) {
                throw Cursors.invalid();
            }
        }
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = dynamo.query(b -> b.tableName(table).indexName(TableKeys.GSI1)
                    .keyConditionExpression("GSI1PK = :pk")
                    .expressionAttributeValues(Map.of(":pk", s(TableKeys.user(tenantId, userId))))
                    .projectionExpression(TableKeys.PK + ", " + TableKeys.SK)
                    .scanIndexForward(false)
                    .limit(MAX_LISTED_ROOMS - keys.size() / 2)
                    .exclusiveStartKey(from));
            for (Map<String, AttributeValue> membership : page.items()) {
                keys.add(Map.of(TableKeys.PK, membership.get(TableKeys.PK), TableKeys.SK, membership.get(TableKeys.SK)));
                keys.add(Map.of(TableKeys.PK, membership.get(TableKeys.PK), TableKeys.SK, s(TableKeys.META)));
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null && keys.size() < 2 * MAX_LISTED_ROOMS);
        Map<String, Member> members = new HashMap<>();
        Map<String, Room> rooms = new HashMap<>();
        for (Map<String, AttributeValue> item : BatchReads.getAll(dynamo, table, keys)) {
            if (TableKeys.META.equals(str(item, TableKeys.SK))) {
                rooms.put(str(item, TableKeys.PK), toRoom(item, List.of()));
            } else {
                members.put(str(item, TableKeys.PK), toMember(item));
            }
        }
        String position = after;
        // a membership whose member item is gone (the user left since the index was read) is not listed
        List<Listed> sorted = members.entrySet().stream().filter(e -> rooms.containsKey(e.getKey()))
                .map(e -> new Listed(e.getValue(), rooms.get(e.getKey())))
                .filter(l -> position == null || listKey(l).compareTo(position) < 0)
                .sorted(java.util.Comparator.comparing(DynamoRoomRepository::listKey).reversed())
                .toList();
        List<Listed> page = sorted.subList(0, Math.min(limit, sorted.size()));
        String next = sorted.size() > limit ? Cursors.encode(listKey(page.get(page.size() - 1))) : null;
        return new Page<>(List.copyOf(page), next);
    }

    /** How many rooms one list reads at most: a user in more rooms sees the most recently joined of them. */
    static final int MAX_LISTED_ROOMS = 2_000;

    private static String listKey(Listed listed) {
        return TableKeys.activity(listed.activityAt(), listed.room().id());
    }

    @Override
    public Optional<Room> head(String tenantId, String roomId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).consistentRead(true).key(metaKey(tenantId, roomId))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(toRoom(item, List.of()));
    }

    private static Map<String, AttributeValue> metaKey(String tenantId, String roomId) {
        return Map.of(TableKeys.PK, s(TableKeys.room(tenantId, roomId)), TableKeys.SK, s(TableKeys.META));
    }

    private static Map<String, AttributeValue> membersKey(String tenantId, String roomId) {
        return Map.of(TableKeys.PK, s(TableKeys.room(tenantId, roomId)), TableKeys.SK, s(TableKeys.MEMBERS));
    }

    /** The member id list's attribute on the {@link TableKeys#MEMBERS} item. */
    private static final String MEMBER_IDS = "memberIds";
    /** On the room item: how many times its member list changed. */
    static final String MEMBERS_VERSION = "membersVersion";

    private static AttributeValue ids(List<String> memberIds) {
        return AttributeValue.fromL(memberIds.stream().map(Attrs::s).toList());
    }

    private static List<String> memberIds(Map<String, AttributeValue> membersItem) {
        AttributeValue ids = membersItem.get(MEMBER_IDS);
        return ids == null || !ids.hasL() ? List.of() : ids.l().stream().map(AttributeValue::s).toList();
    }

    private Room toRoom(Map<String, AttributeValue> item, List<String> memberIds) {
        return roomOf(item, memberIds, json);
    }

    /** A room item as a room (every read of it, whole or batched, carries both named messages). */
    static Room roomOf(Map<String, AttributeValue> item, List<String> memberIds, Json json) {
        return new Room(str(item, "id"), str(item, "name"), str(item, "avatarUrl"), str(item, "externalId"),
                str(item, "customType"), json.readMap(str(item, "metadata")), bool(item, "frozen"),
                num(item, "lastSeq"), withPreview(lastMessage(item, "lastMessage", json), str(item, LAST_PREVIEW)),
                lastMessage(item, "priorMessage", json),
                memberIds, num(item, MEMBERS_VERSION), str(item, "createdAt"), str(item, "updatedAt"));
    }

    private static LastMessage withPreview(LastMessage last, String preview) {
        return last == null ? null : new LastMessage(last.id(), last.seq(), last.senderId(), preview, last.createdAt());
    }

    private static LastMessage lastMessage(Map<String, AttributeValue> item, String attribute, Json json) {
        String stored = str(item, attribute);
        if (stored == null) {
            return null;
        }
        try {
            return json.read(stored, LastMessage.class);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Member toMember(Map<String, AttributeValue> item) {
        return new Member(str(item, "roomId"), str(item, "userId"), str(item, "username"),
                Role.valueOf(str(item, "role")), str(item, "joinedAt"),
                num(item, "lastReadSeq"), str(item, "lastReadMessageId"), str(item, "lastReadAt"),
                num(item, "lastDeliveredSeq"), str(item, "lastDeliveredMessageId"), str(item, "lastDeliveredAt"),
                num(item, "hiddenUntilSeq"), num(item, "clearedThroughSeq"), str(item, "mutedUntil"));
    }
}
