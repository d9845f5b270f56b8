package dev.sendsar.dynamo;

import dev.sendsar.domain.LastMessage;
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
        rooms.create("t", new Room(roomId, "r", null, null, null, null, false, 0, null, List.of("a", "b"), now, now),
                List.of(Member.joining(roomId, "a", "A", Role.MEMBER, now), Member.joining(roomId, "b", "B", Role.MEMBER, now)));
    }

    private AppendResult append(long expected, String sender, String clientMessageId) {
        Message m = Message.posted(UUID.randomUUID().toString(), roomId, expected + 1, sender,
                List.of(Map.of("type", "text", "text", "m" + (expected + 1))), "m" + (expected + 1), clientMessageId,
                "2026-01-01T00:00:0" + (expected % 10) + ".000Z", null);
        return messages.append("t", expected, m, LastMessage.of(m), false);
    }

    @Test
    void append_movesTheRoomSeqAndTheSendersReadCursorTogether() {
        assertInstanceOf(AppendResult.Appended.class, append(0, "a", null));
        assertInstanceOf(AppendResult.Appended.class, append(1, "b", null));
        Room room = rooms.find("t", roomId).orElseThrow();
        assertEquals(2, room.lastSeq());
        assertEquals("m2", room.lastMessage().previewText());
        assertEquals(2, rooms.member("t", roomId, "b").orElseThrow().lastReadSeq());
        assertEquals(1, rooms.member("t", roomId, "a").orElseThrow().lastReadSeq());
    }

    @Test
    void append_withAStaleSeq_isRefusedAndWritesNothing() {
        append(0, "a", null);
        AppendResult refused = append(0, "b", null);
        // the refusal tells the loser where the room is now, so it can retry without reading it again
        assertEquals(1, ((AppendResult.SeqTaken) refused).now().lastSeq());
        assertFalse(((AppendResult.SeqTaken) refused).now().frozen());
        assertEquals(rooms.find("t", roomId).orElseThrow().memberIds(), ((AppendResult.SeqTaken) refused).now().memberIds());
        assertEquals(1, messages.before("t", roomId, null, 10).size());
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
        Message record = Message.posted(UUID.randomUUID().toString(), roomId, 1, "a",
                List.of(Map.of("type", "data-membership", "data", Map.of("action", "joined"))), "", null, "2026-01-01T00:00:10.000Z", null);
        assertInstanceOf(AppendResult.Appended.class, messages.append("t", 0, record, LastMessage.of(record), true));
    }

    @Test
    void append_fromANonMember_isRefused() {
        assertInstanceOf(AppendResult.NotMember.class, append(0, "mallory", null));
        assertEquals(0, rooms.find("t", roomId).orElseThrow().lastSeq());
    }

    @Test
    void readsPageByStoredSeqAndFindMessagesById() {
        for (int i = 0; i < 5; i++) {
            append(i, "a", null);
        }
        assertEquals(List.of(5L, 4L), messages.before("t", roomId, null, 2).stream().map(Message::seq).toList());
        assertEquals(List.of(3L, 2L), messages.before("t", roomId, 4L, 2).stream().map(Message::seq).toList());
        assertEquals(List.of(4L, 5L), messages.after("t", roomId, 3, 10).stream().map(Message::seq).toList());
        Message third = messages.findBySeq("t", roomId, 3).orElseThrow();
        assertEquals(third, messages.findById("t", roomId, third.id()).orElseThrow());
        assertTrue(messages.findById("other-tenant", roomId, third.id()).isEmpty());
    }
}
