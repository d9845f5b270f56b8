package dev.sendsar.dynamo;

import dev.sendsar.domain.Ids;
import dev.sendsar.domain.Member;
import dev.sendsar.domain.Message;
import dev.sendsar.domain.Role;
import dev.sendsar.domain.Room;
import dev.sendsar.ports.MessageRepository;
import dev.sendsar.ports.MessageRepository.ClientKey;
import dev.sendsar.ports.MessageRepository.PutResult;
import dev.sendsar.ports.MessageRepository.Reservation;
import org.junit.jupiter.api.AfterAll;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.LongFunction;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DynamoMessageRepositoryTest {
    private static final DynamoLocal DB = new DynamoLocal();
    private final DynamoRoomRepository rooms = new DynamoRoomRepository(DB.client, DB.config, DB.json);
    private final DynamoMessageRepository messages = new DynamoMessageRepository(DB.client, DB.config, DB.json);
    private String roomId;

    @AfterAll
    static void stop() {
        DB.close();
    }

    @BeforeEach
    void room() {
        roomId = UUID.randomUUID().toString();
        String now = "2026-01-01T00:00:00.000Z";
        rooms.create("t", new Room(roomId, "r", null, null, null, null, false, 0, null, null, List.of("a", "b"), 0, now, now),
                List.of(Member.joining(roomId, "a", "A", Role.MEMBER, now), Member.joining(roomId, "b", "B", Role.MEMBER, now)));
    }

    /** Stores a message as a send does: the put at the seq after {@code expected}, then the room item moved to it. */
    private PutResult append(long expected, String sender, String clientMessageId) {
        Message m = Message.posted(Ids.messageId(expected + 1), roomId, expected + 1, sender,
                List.of(Map.of("type", "text", "text", "m" + (expected + 1))), "m" + (expected + 1), clientMessageId,
                "2026-01-01T00:00:0" + (expected % 10) + ".000Z", null);
        PutResult result = messages.put("t", m, false);
        if (result instanceof PutResult.Stored) {
            messages.markNewest("t", m, null);
        }
        return result;
    }

    /**
     * The SDK tries a call again when an attempt's answer is lost (a reset connection, a timeout). A put, a claim or a
     * claim's take-over DynamoDB applied before its answer was lost is then refused by itself: it is this call's. Taken,
     * a send would store the message again at the next seq; a claim held by itself would answer 409 for a minute.
     */
    @Test
    void aPutOrClaimWhoseAnswerWasLost_andThatTheSdkTriedAgain_isTheCallersOwn() {
        DynamoDbClient lossy = LostAnswers.onFirstWrite(DB.client);
        DynamoMessageRepository retried = new DynamoMessageRepository(lossy, DB.config, DB.json);
        Message m = Message.posted(Ids.messageId(1), roomId, 1, "a", List.of(Map.of("type", "text", "text", "once")), "once",
                "c-once", "2026-01-01T00:00:01.000Z", null);
        assertInstanceOf(PutResult.Stored.class, retried.put("t", m, false));
        Message other = Message.posted(Ids.messageId(1), roomId, 1, "b", List.of(Map.of("type", "text", "text", "late")), "late",
                null, "2026-01-01T00:00:01.000Z", null);
        assertEquals("once", ((PutResult.Taken) retried.put("t", other, false)).occupant().previewText(), "another message is refused");

        ClientKey key = new ClientKey(roomId, "a", "c-claimed");
        Reservation mine = new Reservation(UUID.randomUUID().toString(), 2, "2026-01-01T00:00:02.000Z");
        assertEquals(Optional.empty(), retried.reserve("t", key, mine), "the claim is this call's");
        Reservation another = new Reservation(UUID.randomUUID().toString(), 2, "2026-01-01T00:00:02.000Z");
        assertEquals(Optional.of(mine), messages.reserve("t", key, another), "another attempt finds it held");
        assertTrue(retried.takeOver("t", key, mine, another), "a take-over is this call's");
        assertEquals(Optional.of(another), messages.reservation("t", key));
    }

    @Test
    void put_atAFreeSeq_storesOneItem_andTheRoomItemFollowsOnlyForward() {
        assertInstanceOf(PutResult.Stored.class, append(0, "a", null));
        assertInstanceOf(PutResult.Stored.class, append(1, "b", null));
        Room room = rooms.find("t", roomId).orElseThrow();
        assertEquals(2, room.lastSeq());
        assertEquals("m2", room.lastMessage().previewText());
        // a late move of the room item to an older message (its sender was slow) changes nothing
        messages.markNewest("t", messages.findBySeq("t", roomId, 1).orElseThrow(), null);
        assertEquals(2, rooms.find("t", roomId).orElseThrow().lastSeq());
        assertEquals("m2", rooms.find("t", roomId).orElseThrow().lastMessage().previewText());
        assertEquals(0, rooms.member("t", roomId, "a").orElseThrow().lastReadSeq());
    }

    @Test
    void put_atATakenSeq_isRefused_andHandsBackTheMessageThere() {
        append(0, "a", null);
        PutResult refused = append(0, "b", null);
        // the refusal is the message at that seq: the loser goes on at the next seq without a read
        assertEquals("a", ((PutResult.Taken) refused).occupant().senderId());
        assertEquals(1, ((PutResult.Taken) refused).occupant().seq());
        assertEquals(1, messages.before("t", roomId, null, 10).messages().size());
        assertEquals(1, rooms.find("t", roomId).orElseThrow().lastSeq());
    }

    @Test
    void aClaimOnAClientMessageId_isHeldByOneAttempt_movesWithIt_andIsTakenOverOrDroppedOnlyAsRead() {
        ClientKey key = new ClientKey(roomId, "a", "c-1");
        Reservation first = new Reservation("attempt-1", 1, "2026-01-01T00:00:00.000Z");
        Reservation second = new Reservation("attempt-2", 0, "2026-01-01T00:02:00.000Z");
        assertTrue(messages.reserve("t", key, first).isEmpty());
        assertEquals(Optional.of(first), messages.reserve("t", key, second));
        assertFalse(messages.moveReservation("t", key, "attempt-2", 5));
        assertTrue(messages.moveReservation("t", key, "attempt-1", 2));
        Reservation moved = new Reservation("attempt-1", 2, first.attemptAt());
        assertEquals(Optional.of(moved), messages.reservation("t", key));
        // a take-over names the claim it read: a claim that moved since stays its owner's
        assertFalse(messages.takeOver("t", key, first, second));
        assertTrue(messages.takeOver("t", key, moved, second));
        messages.release("t", key, "attempt-1");
        assertEquals(Optional.of(second), messages.reservation("t", key));
        messages.release("t", key, "attempt-2");
        assertTrue(messages.reservation("t", key).isEmpty());

        // the message is found by the seq its claim names, only if it is that sender's with that id
        assertTrue(messages.reserve("t", key, new Reservation("attempt-3", 1, "2026-01-01T00:03:00.000Z")).isEmpty());
        append(0, "b", "c-1");
        assertTrue(messages.findByClientMessageId("t", key).isEmpty());
        assertTrue(messages.moveReservation("t", key, "attempt-3", 2));
        append(1, "a", "c-1");
        assertEquals(2, messages.findByClientMessageId("t", key).orElseThrow().seq());
    }

    @Test
    void aMemberChange_commitsWithItsRecordAtTheNextFreeSeq_andMovesTheRoomItemToIt() {
        append(0, "a", null);
        Room before = rooms.find("t", roomId).orElseThrow();
        append(1, "b", null); // a message the change did not know of takes the seq it tries first
        LongFunction<Message> record = seq -> Message.posted(Ids.messageId(seq), roomId, seq, "c",
                List.of(Map.of("type", "data-membership", "data", Map.of("action", "joined"))), "", null,
                "2026-01-01T00:00:05.000Z", null);
        Message stored = rooms.addMember("t", before, Member.joining(roomId, "c", "C", Role.MEMBER, "2026-01-01T00:00:05.000Z"),
                record).orElseThrow();
        assertEquals(3, stored.seq());
        assertEquals(stored.id(), messages.findBySeq("t", roomId, 3).orElseThrow().id());
        assertEquals(stored.parts(), messages.findBySeq("t", roomId, 3).orElseThrow().parts());
        Room after = rooms.find("t", roomId).orElseThrow();
        assertEquals(List.of("a", "b", "c"), after.memberIds());
        assertEquals(1, after.membersVersion());
        assertEquals(3, after.lastSeq());
        assertEquals(1, rooms.head("t", roomId).orElseThrow().membersVersion());
        // a change from the old list writes nothing, not even its record
        assertTrue(rooms.removeMember("t", before, "a", record).isEmpty());
        assertTrue(messages.findBySeq("t", roomId, 4).isEmpty());
    }

    @Test
    void anEditOfTheNewestMessage_beforeItsSenderMovedTheRoomItem_keepsTheEditsPreview() {
        append(0, "b", null);
        Message second = Message.posted(Ids.messageId(2), roomId, 2, "a", List.of(Map.of("type", "text", "text", "secret")),
                "secret", null, "2026-01-01T00:00:02.000Z", null);
        assertInstanceOf(PutResult.Stored.class, messages.put("t", second, false));
        messages.update("t", roomId, 2, x -> new Message(x.id(), x.roomId(), x.seq(), x.senderId(), List.of(), "", null,
                x.createdAt(), null, "2026-01-01T00:01:00.000Z", false, List.of(), null, null, null, null, null, null));
        messages.markNewest("t", second, null); // the sender's move comes late: it must not bring the deleted text back
        Room room = rooms.find("t", roomId).orElseThrow();
        assertEquals(2, room.lastSeq());
        assertEquals(second.id(), room.lastMessage().id());
        assertFalse("secret".equals(room.lastMessage().previewText()));
        // the edit's move names both senders as a send's would
        assertEquals(1, room.priorMessage().seq());
        assertEquals(List.of(2L, 1L), List.of(readSeen("a"), readSeen("b")));
    }

    /** A room of a, b and c, made the test's room. */
    private void threeMembers() {
        roomId = UUID.randomUUID().toString();
        String now = "2026-01-01T00:00:00.000Z";
        rooms.create("t", new Room(roomId, "r", null, null, null, null, false, 0, null, null, List.of("a", "b", "c"), 0, now, now),
                List.of("a", "b", "c").stream().map(u -> Member.joining(roomId, u, u, Role.MEMBER, now)).toList());
    }

    private long storedRead(String userId) {
        return rooms.member("t", roomId, userId).orElseThrow().lastReadSeq();
    }

    private long readSeen(String userId) {
        return rooms.member("t", roomId, userId).orElseThrow().readIn(rooms.find("t", roomId).orElseThrow()).lastReadSeq();
    }

    @Test
    void theRoomItemNamesTheLastTwoSenders_andACursorIsWrittenOnlyForOneItStopsNaming() {
        threeMembers();
        for (String sender : List.of("a", "a", "a", "b")) {
            append(rooms.find("t", roomId).orElseThrow().lastSeq(), sender, null);
        }
        Room room = rooms.find("t", roomId).orElseThrow();
        assertEquals(List.of(4L, 3L), List.of(room.lastMessage().seq(), room.priorMessage().seq()));
        assertEquals(List.of(0L, 0L, 0L), List.of(storedRead("a"), storedRead("b"), storedRead("c")));
        assertEquals(List.of(3L, 4L, 0L), List.of(readSeen("a"), readSeen("b"), readSeen("c")));

        append(4, "c", null); // a drops out of the room item: its position goes to its cursor
        assertEquals(List.of(3L, 0L, 0L), List.of(storedRead("a"), storedRead("b"), storedRead("c")));
        append(5, "b", null); // b's older position is replaced by its newer one: nothing to write
        assertEquals(List.of(3L, 0L, 0L), List.of(storedRead("a"), storedRead("b"), storedRead("c")));
        assertEquals(List.of(3L, 6L, 5L), List.of(readSeen("a"), readSeen("b"), readSeen("c")));

        // a's move comes after a newer message's (whose sender guessed the last sender wrong): a's cursor takes it
        Message seventh = message(7, "a");
        Message eighth = message(8, "c");
        assertInstanceOf(PutResult.Stored.class, messages.put("t", seventh, false));
        assertInstanceOf(PutResult.Stored.class, messages.put("t", eighth, false));
        messages.markNewest("t", eighth, "a");
        messages.markNewest("t", seventh, "b");
        room = rooms.find("t", roomId).orElseThrow();
        assertEquals(List.of(8L, 6L), List.of(room.lastMessage().seq(), room.priorMessage().seq()));
        assertEquals(List.of(7L, 0L, 0L), List.of(storedRead("a"), storedRead("b"), storedRead("c")));
        assertEquals(List.of(7L, 6L, 8L), List.of(readSeen("a"), readSeen("b"), readSeen("c")));
    }

    @Test
    void aMemberChangeRecord_keepsTheReadPositionItPushesOutOfTheRoomItem() {
        threeMembers();
        append(0, "a", null);
        append(1, "b", null);
        LongFunction<Message> record = seq -> Message.posted(Ids.messageId(seq), roomId, seq, "c",
                List.of(Map.of("type", "data-membership", "data", Map.of("action", "left"))), "", null,
                "2026-01-01T00:00:05.000Z", null);
        Room before = rooms.find("t", roomId).orElseThrow();
        append(2, "a", null); // a send the change did not know of: the change re-reads the room item and goes on
        assertEquals(4, rooms.removeMember("t", before, "b", record).orElseThrow().seq());
        Room after = rooms.find("t", roomId).orElseThrow();
        assertEquals(List.of(4L, 3L), List.of(after.lastMessage().seq(), after.priorMessage().seq()));
        assertEquals(List.of(0L, 0L), List.of(storedRead("a"), storedRead("c")));
        assertEquals(List.of(3L, 4L), List.of(readSeen("a"), readSeen("c")));
        append(4, "a", null);
        append(5, "b", null); // a message by someone who left still moves the room; c drops out and keeps 4
        assertEquals(4, storedRead("c"));
    }

    @Test
    void a1to1Send_writesTheMessageAndTheRoomItem_andNoCursor() {
        IndexWrites meter = new IndexWrites(DB.client);
        DynamoMessageRepository metered = new DynamoMessageRepository(meter.client, DB.config, DB.json);
        String last = null;
        for (int seq = 1; seq <= 6; seq++) {
            Message m = message(seq, seq % 3 == 0 ? "b" : "a");
            meter.reset();
            // the quiet mark costs no write unit more
            assertInstanceOf(PutResult.Stored.class, metered.put("t", m, seq % 2 == 0));
            metered.markNewest("t", m, last);
            assertEquals(2.0, meter.table(), "write units of message " + seq);
            last = m.senderId();
        }
        assertEquals(List.of(0L, 0L), List.of(storedRead("a"), storedRead("b")));
        assertEquals(List.of(5L, 6L), List.of(readSeen("a"), readSeen("b")));
    }

    private Message message(long seq, String sender) {
        return Message.posted(Ids.messageId(seq), roomId, seq, sender, List.of(Map.of("type", "text", "text", "m" + seq)),
                "m" + seq, null, "2026-01-01T00:00:0" + (seq % 10) + ".000Z", null);
    }

    @Test
    void readsPageByStoredSeqAndFindMessagesById() {
        for (int i = 0; i < 5; i++) {
            append(i, "a", null);
        }
        assertEquals(List.of(5L, 4L), messages.before("t", roomId, null, 2).messages().stream().map(Message::seq).toList());
        assertEquals(List.of(3L, 2L), messages.before("t", roomId, 4L, 2).messages().stream().map(Message::seq).toList());
        assertEquals(List.of(4L, 5L), messages.after("t", roomId, 3, 10).messages().stream().map(Message::seq).toList());
        Message third = messages.findBySeq("t", roomId, 3).orElseThrow();
        assertEquals(third, messages.findById("t", roomId, third.id()).orElseThrow());
        assertTrue(messages.findById("other-tenant", roomId, third.id()).isEmpty());
        // an id that names the same seq but is not the message's own finds nothing
        String forged = Ids.messageId(3);
        assertTrue(messages.findById("t", roomId, forged).isEmpty());
        assertTrue(messages.findById("t", roomId, "not-an-id").isEmpty());
        assertEquals(Map.of(third.id(), third), messages.findByIds("t", roomId, List.of(third.id(), forged, "x")));
    }

    @Test
    void aSendWritesSmallItems_whateverTheRoomsSize() {
        String big = UUID.randomUUID().toString();
        String now = "2026-01-01T00:00:00.000Z";
        List<String> ids = java.util.stream.IntStream.range(0, 1_000).mapToObj(i -> "user-" + UUID.randomUUID()).toList();
        rooms.create("t", new Room(big, "big", null, null, null, null, false, 0, null, null, ids, 0, now, now),
                List.of(Member.joining(big, ids.get(0), "U0", Role.MEMBER, now)));
        Message m = Message.posted(Ids.messageId(1), big, 1, ids.get(0), List.of(Map.of("type", "text", "text", "hello there")),
                "hello there", UUID.randomUUID().toString(), now, null);
        assertInstanceOf(PutResult.Stored.class, messages.put("t", m, false));
        messages.markNewest("t", m, null);
        assertTrue(messages.reserve("t", new ClientKey(big, ids.get(0), m.clientMessageId()),
                new Reservation(UUID.randomUUID().toString(), 1, now)).isEmpty());

        // DynamoDB bills a write by the item's size in 1 KB units: every item a send writes stays under 1 KB in a
        // 1,000-member room, whose member ids (~45 KB) live in an item no send writes
        for (String sk : List.of(TableKeys.META, TableKeys.message(1), TableKeys.member(ids.get(0)),
                TableKeys.clientMessage(ids.get(0), m.clientMessageId()))) {
            var item = DB.client.getItem(b -> b.tableName(DB.config.getTable()).key(Map.of(TableKeys.PK,
                    Attrs.s(TableKeys.room("t", big)), TableKeys.SK, Attrs.s(sk)))).item();
            assertTrue(ItemSize.of(item) <= 1024, sk + " is " + ItemSize.of(item) + " bytes");
        }
        assertEquals(ids, rooms.find("t", big).orElseThrow().memberIds());

        // and so does the room item naming two senders with the longest previews (200 characters each)
        for (int seq = 2; seq <= 3; seq++) {
            String longest = "x".repeat(200);
            Message next = Message.posted(Ids.messageId(seq), big, seq, ids.get(seq - 1), List.of(Map.of("type", "text", "text", longest)),
                    longest, null, now, null);
            assertInstanceOf(PutResult.Stored.class, messages.put("t", next, false));
            messages.markNewest("t", next, ids.get(seq - 2));
        }
        var meta = DB.client.getItem(b -> b.tableName(DB.config.getTable()).key(Map.of(TableKeys.PK,
                Attrs.s(TableKeys.room("t", big)), TableKeys.SK, Attrs.s(TableKeys.META)))).item();
        assertEquals(2, rooms.find("t", big).orElseThrow().priorMessage().seq());
        assertTrue(ItemSize.of(meta) <= 1024, "the room item is " + ItemSize.of(meta) + " bytes");
    }

    private PutResult append(Message m) {
        PutResult result = messages.put("t", m, false);
        messages.markNewest("t", m, null);
        return result;
    }

    private Message appendText(long expected, String text) {
        Message m = Message.posted(Ids.messageId(expected + 1), roomId, expected + 1, "a",
                List.of(Map.of("type", "text", "text", text)), text.substring(0, Math.min(200, text.length())), null,
                "2026-01-01T00:00:00.000Z", null);
        assertInstanceOf(PutResult.Stored.class, append(m));
        return m;
    }

    @Test
    void historyOfLargeMessages_isNeverCutShortByDynamoDbsOneMegabytePages() {
        String big = "x".repeat(60 * 1024);
        for (int i = 0; i < 19; i++) {
            appendText(i, i + big);
        }
        List<Long> seen = new java.util.ArrayList<>();
        Long before = null;
        boolean more = true;
        for (int pages = 0; more && pages < 10; pages++) {
            var slice = messages.before("t", roomId, before, 50);
            slice.messages().forEach(m -> seen.add(m.seq()));
            more = slice.more();
            before = slice.messages().get(slice.messages().size() - 1).seq();
        }
        assertEquals(java.util.stream.LongStream.rangeClosed(1, 19).boxed().sorted(java.util.Comparator.reverseOrder()).toList(), seen);

        List<Long> forward = new java.util.ArrayList<>();
        long after = 0;
        more = true;
        for (int pages = 0; more && pages < 10; pages++) {
            var slice = messages.after("t", roomId, after, 100);
            slice.messages().forEach(m -> forward.add(m.seq()));
            more = slice.more();
            after = slice.messages().get(slice.messages().size() - 1).seq();
        }
        assertEquals(java.util.stream.LongStream.rangeClosed(1, 19).boxed().toList(), forward);
    }

    @Test
    void aClaimsOriginal_isFoundAtTheEndOfItsWindow_pastMoreThanAMegabyteOfLargeMessages() {
        String big = "x".repeat(60 * 1024);
        for (int i = 0; i < MessageRepository.CLAIM_WINDOW; i++) {
            appendText(i, i + big);
        }
        long seq = MessageRepository.CLAIM_WINDOW + 1;
        Message original = Message.posted(Ids.messageId(seq), roomId, seq, "b", List.of(Map.of("type", "text", "text", "hi")),
                "hi", "c-1", "2026-01-01T00:00:00.000Z", null);
        assertInstanceOf(PutResult.Stored.class, append(original));
        ClientKey key = new ClientKey(roomId, "b", "c-1");
        // the claim was written with seq 1 by an instance that knew no seq of the room
        assertEquals(Optional.empty(), messages.reserve("t", key, new Reservation("first", 1, "2026-01-01T00:00:00.000Z")));

        assertEquals(original.id(), messages.findByClientMessageId("t", key).orElseThrow().id());
    }

    @Test
    void aSliceThatEndsExactlyAtTheLimit_saysNoMore() {
        for (int i = 0; i < 3; i++) {
            appendText(i, "m" + i);
        }
        assertEquals(false, messages.before("t", roomId, null, 3).more());
        assertEquals(true, messages.before("t", roomId, null, 2).more());
        assertEquals(false, messages.after("t", roomId, 1, 2).more());
    }

    @Test
    void update_thatWouldOutgrowAnItem_failsAtOnceInsteadOfRetryingForever() {
        Message m = appendText(0, "hi");
        String huge = "y".repeat(450 * 1024);
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(20), () ->
                org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, () ->
                        messages.update("t", roomId, m.seq(), x -> x.withParts(List.of(Map.of("type", "text", "text", huge))))));
        assertEquals(List.of(Map.of("type", "text", "text", "hi")), messages.findBySeq("t", roomId, 1).orElseThrow().parts());
    }

    @Test
    void update_ofTheNewestMessage_changesTheRoomsPreview_andOfAnOlderOneDoesNot() {
        Message first = appendText(0, "first");
        Message second = appendText(1, "second");
        UnaryOperator<Message> deleteIt = x -> new Message(x.id(), x.roomId(), x.seq(), x.senderId(), List.of(), "", null,
                x.createdAt(), null, "2026-01-01T00:01:00.000Z", false, List.of(), null, null, null, null, null, null);
        messages.update("t", roomId, first.seq(), deleteIt);
        assertEquals("second", rooms.find("t", roomId).orElseThrow().lastMessage().previewText());

        messages.update("t", roomId, second.seq(), x -> new Message(x.id(), x.roomId(), x.seq(), x.senderId(),
                List.of(Map.of("type", "text", "text", "edited")), "edited", null, x.createdAt(), "2026-01-01T00:01:00.000Z",
                null, false, List.of(), null, null, null, null, null, null));
        assertEquals("edited", rooms.find("t", roomId).orElseThrow().lastMessage().previewText());
        messages.update("t", roomId, second.seq(), deleteIt);
        Room room = rooms.find("t", roomId).orElseThrow();
        assertTrue(room.lastMessage().previewText() == null || room.lastMessage().previewText().isEmpty());
        assertEquals(second.id(), room.lastMessage().id());
    }

    @Test
    void findByIds_readsManyMessagesOfOneRoom() {
        Message one = appendText(0, "one");
        Message two = appendText(1, "two");
        Map<String, Message> found = messages.findByIds("t", roomId, List.of(one.id(), two.id(), "nope"));
        assertEquals(java.util.Set.of(one.id(), two.id()), found.keySet());
        assertTrue(messages.findByIds("other", roomId, List.of(one.id())).isEmpty());
    }
}
