package dev.sendsar.dynamo;

import dev.sendsar.domain.Ids;
import dev.sendsar.domain.Member;
import dev.sendsar.domain.Message;
import dev.sendsar.domain.Role;
import dev.sendsar.domain.Room;
import dev.sendsar.ports.MessageRepository.AppendResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;
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
        rooms.create("t", new Room(roomId, "r", null, null, null, null, false, 0, null, List.of("a", "b"), 0, now, now),
                List.of(Member.joining(roomId, "a", "A", Role.MEMBER, now), Member.joining(roomId, "b", "B", Role.MEMBER, now)));
    }

    private AppendResult append(long expected, String sender, String clientMessageId) {
        Message m = Message.posted(Ids.messageId(expected + 1), roomId, expected + 1, sender,
                List.of(Map.of("type", "text", "text", "m" + (expected + 1))), "m" + (expected + 1), clientMessageId,
                "2026-01-01T00:00:0" + (expected % 10) + ".000Z", null);
        return messages.append("t", expected, 0, m, false);
    }

    @Test
    void append_movesTheRoomSeq_andLeavesTheMemberItemsToTheCursorWriteAfterIt() {
        assertInstanceOf(AppendResult.Appended.class, append(0, "a", null));
        assertInstanceOf(AppendResult.Appended.class, append(1, "b", null));
        Room room = rooms.find("t", roomId).orElseThrow();
        assertEquals(2, room.lastSeq());
        assertEquals("m2", room.lastMessage().previewText());
        // three items per transaction: the sender's cursor is a plain write after the commit (MessageService)
        assertEquals(0, rooms.member("t", roomId, "b").orElseThrow().lastReadSeq());
        assertEquals(0, rooms.member("t", roomId, "a").orElseThrow().lastReadSeq());
    }

    @Test
    void append_withAStaleSeq_isRefusedAndWritesNothing() {
        append(0, "a", null);
        AppendResult refused = append(0, "b", null);
        // the refusal tells the loser where the room is now, so it can retry without reading it again
        assertEquals(1, ((AppendResult.SeqTaken) refused).now().lastSeq());
        assertFalse(((AppendResult.SeqTaken) refused).now().frozen());
        assertEquals(rooms.find("t", roomId).orElseThrow().membersVersion(), ((AppendResult.SeqTaken) refused).now().membersVersion());
        assertEquals(1, messages.before("t", roomId, null, 10).messages().size());
        assertEquals(1, rooms.find("t", roomId).orElseThrow().lastSeq());
    }

    @Test
    void append_ofAUsedClientMessageId_reportsTheOriginalSeq() {
        append(0, "a", "c-1");
        append(1, "b", null);
        AppendResult again = append(2, "a", "c-1");
        assertEquals(new AppendResult.Duplicate(1), again);
        assertEquals(2, rooms.find("t", roomId).orElseThrow().lastSeq());
    }

    @Test
    void append_toAFrozenRoom_isRefusedExceptForMembershipRecords() {
        rooms.update("t", roomId, new dev.sendsar.ports.RoomRepository.RoomChanges(null, null, null, null, true, "2026-01-01T00:00:09.000Z"));
        assertTrue(((AppendResult.SeqTaken) append(0, "a", null)).now().frozen());
        Message record = Message.posted(Ids.messageId(1), roomId, 1, "a",
                List.of(Map.of("type", "data-membership", "data", Map.of("action", "joined"))), "", null, "2026-01-01T00:00:10.000Z", null);
        assertInstanceOf(AppendResult.Appended.class, messages.append("t", 0, 0, record, true));
    }

    @Test
    void append_afterTheMemberListChanged_isRefusedEvenBeforeTheChangesRecordIsWritten() {
        append(0, "a", null);
        Room before = rooms.find("t", roomId).orElseThrow();
        assertTrue(rooms.addMember("t", before, Member.joining(roomId, "c", "C", Role.MEMBER, "2026-01-01T00:00:05.000Z")));

        // a sender holding the old member list (and the right seq) must not send to it: it learns the list moved
        AppendResult stale = append(1, "a", null);
        assertEquals(1, ((AppendResult.SeqTaken) stale).now().membersVersion());
        assertEquals(1, rooms.find("t", roomId).orElseThrow().lastSeq());
        Message m = Message.posted(Ids.messageId(2), roomId, 2, "a", List.of(Map.of("type", "text", "text", "m2")), "m2",
                null, "2026-01-01T00:00:06.000Z", null);
        assertInstanceOf(AppendResult.Appended.class, messages.append("t", 1, 1, m, false));
    }

    @Test
    void append_fromAMemberRemovedAfterTheAuthorizationRead_isRefusedAndWritesNothing() {
        Room before = rooms.find("t", roomId).orElseThrow();
        assertTrue(rooms.removeMember("t", before, "a"));

        // "a" was checked against the list of version 0: the removal moved the version, so the send is refused
        AppendResult refused = append(0, "a", "c-1");
        assertEquals(1, ((AppendResult.SeqTaken) refused).now().membersVersion());
        assertEquals(0, rooms.find("t", roomId).orElseThrow().lastSeq());
        assertTrue(messages.before("t", roomId, null, 10).messages().isEmpty());
        assertTrue(messages.findByClientMessageId("t", roomId, "a", "c-1").isEmpty());
        // a cursor write for the refused sender finds no member item and creates none
        assertTrue(rooms.advanceCursor("t", roomId, "a", dev.sendsar.ports.RoomRepository.Cursor.READ, 1, "x",
                "2026-01-01T00:00:01.000Z").isEmpty());
        assertTrue(rooms.member("t", roomId, "a").isEmpty());
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
        rooms.create("t", new Room(big, "big", null, null, null, null, false, 0, null, ids, 0, now, now),
                List.of(Member.joining(big, ids.get(0), "U0", Role.MEMBER, now)));
        Message m = Message.posted(Ids.messageId(1), big, 1, ids.get(0), List.of(Map.of("type", "text", "text", "hello there")),
                "hello there", UUID.randomUUID().toString(), now, null);
        assertInstanceOf(AppendResult.Appended.class, messages.append("t", 0, 0, m, false));

        // DynamoDB bills a write by the item's size in 1 KB units (twice in a transaction): every item a send
        // writes stays under 1 KB in a 1,000-member room, whose member ids (~45 KB) live in an item no send writes
        for (String sk : List.of(TableKeys.META, TableKeys.message(1), TableKeys.member(ids.get(0)),
                TableKeys.clientMessage(ids.get(0), m.clientMessageId()))) {
            var item = DB.client.getItem(b -> b.tableName(DB.config.getTable()).key(Map.of(TableKeys.PK,
                    Attrs.s(TableKeys.room("t", big)), TableKeys.SK, Attrs.s(sk)))).item();
            assertTrue(ItemSize.of(item) <= 1024, sk + " is " + ItemSize.of(item) + " bytes");
        }
        assertEquals(ids, rooms.find("t", big).orElseThrow().memberIds());
    }

    private Message appendText(long expected, String text) {
        Message m = Message.posted(Ids.messageId(expected + 1), roomId, expected + 1, "a",
                List.of(Map.of("type", "text", "text", text)), text.substring(0, Math.min(200, text.length())), null,
                "2026-01-01T00:00:00.000Z", null);
        assertInstanceOf(AppendResult.Appended.class, messages.append("t", expected, 0, m, false));
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
