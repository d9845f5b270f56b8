package dev.sendsar.dynamo;

import dev.sendsar.domain.Member;
import dev.sendsar.domain.Page;
import dev.sendsar.domain.Role;
import dev.sendsar.domain.Room;
import dev.sendsar.domain.Connection;
import dev.sendsar.error.ApiException;
import dev.sendsar.ports.RoomRepository;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DynamoRoomRepositoryTest {
    private static final DynamoLocal DB = new DynamoLocal();
    private final DynamoRoomRepository rooms = new DynamoRoomRepository(DB.client, DB.config, DB.json);
    private final DynamoMessageRepository messages = new DynamoMessageRepository(DB.client, DB.config, DB.json);

    @AfterAll
    static void stop() {
        DB.close();
    }

    private Room room(String tenant, String externalId, String at, String... users) {
        String id = UUID.randomUUID().toString();
        Room room = new Room(id, "r", null, externalId, null, java.util.Map.of("k", "v"), false, 0, null, null, List.of(users), 0, at, at);
        return rooms.create(tenant, room, java.util.Arrays.stream(users).map(u -> Member.joining(id, u, u, Role.MEMBER, at)).toList());
    }

    @Test
    void create_withATakenExternalId_writesNothingAndReturnsTheFirstRoom() {
        Room first = room("t1", "order_1", "2026-01-01T00:00:00.000Z", "a", "b");
        Room second = room("t1", "order_1", "2026-01-01T00:00:01.000Z", "a", "c");
        assertEquals(first.id(), second.id());
        assertTrue(rooms.member("t1", first.id(), "c").isEmpty());
        assertEquals(java.util.Map.of("k", "v"), rooms.find("t1", first.id()).orElseThrow().metadata());
        // external ids are per tenant
        Room otherTenant = room("t2", "order_1", "2026-01-01T00:00:02.000Z", "a");
        assertTrue(!otherTenant.id().equals(first.id()));
    }

    /** Stores a message from {@code sender} at {@code at} as the room's next. */
    private void say(String tenant, Room room, String sender, String at) {
        long seq = rooms.find(tenant, room.id()).orElseThrow().lastSeq() + 1;
        dev.sendsar.domain.Message m = new dev.sendsar.domain.Message(UUID.randomUUID().toString(), room.id(), seq, sender,
                List.of(java.util.Map.of("type", "text", "text", "hi")), "hi", null, at, null, null, false, List.of(), null,
                null, null, null, null, null);
        assertTrue(messages.put(tenant, m, false) instanceof dev.sendsar.ports.MessageRepository.PutResult.Stored);
        messages.markNewest(tenant, m, null);
    }

    private static java.util.function.LongFunction<dev.sendsar.domain.Message> record(Room room, String userId) {
        return seq -> dev.sendsar.domain.Message.posted(dev.sendsar.domain.Ids.messageId(seq), room.id(), seq, userId,
                List.of(java.util.Map.of("type", "data-membership", "data", java.util.Map.of("targetUserId", userId))), "",
                null, "2026-01-01T00:00:01.000Z", null);
    }

    @Test
    void memberChanges_keepTheListsVersionInStepWithTheRooms_andFindReadsThemAsOneSnapshot() {
        Room created = room("t4", null, "2026-01-01T00:00:00.000Z", "a", "b");
        assertTrue(rooms.addMember("t4", created, Member.joining(created.id(), "c", "c", Role.MEMBER, "2026-01-01T00:00:01.000Z"),
                record(created, "c")).isPresent());
        Room added = rooms.find("t4", created.id()).orElseThrow();
        assertEquals(List.of("a", "b", "c"), added.memberIds());
        assertEquals(1, added.membersVersion());
        assertEquals(versionOf("t4", created.id(), TableKeys.META), versionOf("t4", created.id(), TableKeys.MEMBERS));
        // a change from a stale snapshot (the list of version 0) is refused, whichever of the two moved
        assertTrue(rooms.removeMember("t4", created, "b", record(created, "b")).isEmpty());
        assertTrue(rooms.removeMember("t4", added, "b", record(created, "b")).isPresent());
        Room removed = rooms.find("t4", created.id()).orElseThrow();
        assertEquals(List.of("a", "c"), removed.memberIds());
        assertEquals(2, removed.membersVersion());

        // a list whose version disagrees with the room item's (as a query between a change's two writes would see it)
        // is read again with the room item as one snapshot; the next change puts the two in step again
        DB.client.updateItem(b -> b.tableName(DB.config.getTable()).key(java.util.Map.of(
                TableKeys.PK, Attrs.s(TableKeys.room("t4", created.id())), TableKeys.SK, Attrs.s(TableKeys.MEMBERS)))
                .updateExpression("REMOVE " + DynamoRoomRepository.MEMBERS_VERSION));
        assertEquals(removed, rooms.find("t4", created.id()).orElseThrow());
        assertTrue(rooms.removeMember("t4", removed, "c", record(created, "c")).isPresent());
        assertEquals(versionOf("t4", created.id(), TableKeys.META), versionOf("t4", created.id(), TableKeys.MEMBERS));
    }

    private String versionOf(String tenant, String roomId, String sk) {
        return DB.client.getItem(b -> b.tableName(DB.config.getTable()).consistentRead(true).key(java.util.Map.of(
                TableKeys.PK, Attrs.s(TableKeys.room(tenant, roomId)), TableKeys.SK, Attrs.s(sk))))
                .item().get(DynamoRoomRepository.MEMBERS_VERSION).n();
    }

    @Test
    void roomsOf_pagesByLastActivityWithoutRepeats_forSenderAndReceiverAlike() {
        List<Room> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(room("t3", null, "2026-01-01T00:00:0" + i + ".000Z", "u", "v"));
        }
        List<String> ids = created.stream().map(Room::id).toList();
        say("t3", created.get(0), "v", "2026-02-01T00:00:00.000Z");
        for (String user : List.of("u", "v")) {
            List<String> seen = new ArrayList<>();
            String cursor = null;
            do {
                Page<RoomRepository.Listed> page = rooms.roomsOf("t3", user, cursor, 2);
                page.items().forEach(l -> seen.add(l.room().id()));
                cursor = page.nextCursor();
            } while (cursor != null);
            assertEquals(List.of(ids.get(0), ids.get(4), ids.get(3), ids.get(2), ids.get(1)), seen, user);
        }
        assertThrows(ApiException.class, () -> rooms.roomsOf("t3", "u", "garbage", 2));
    }

    @Test
    void roomsOf_placesARoomAtItsLastMessageOrTheJoinWhicheverIsLater() {
        Room r = room("t4", null, "2026-01-01T00:00:05.000Z", "u");
        say("t4", r, "u", "2026-01-01T00:00:01.000Z");
        room("t4", null, "2026-01-01T00:00:03.000Z", "u");
        assertEquals(r.id(), rooms.roomsOf("t4", "u", null, 10).items().get(0).room().id());
    }

    @Test
    void cursorMovesAndMemberSettings_writeOnlyTheMemberItem_notGsi1_andRoomListsShowThem() {
        IndexWrites meter = new IndexWrites(DB.client);
        DynamoRoomRepository metered = new DynamoRoomRepository(meter.client, DB.config, DB.json);
        Room r = room("t8", null, "2026-01-01T00:00:00.000Z", "a", "b");
        Room other = room("t8", null, "2026-01-01T00:00:01.000Z", "a", "c");
        say("t8", r, "b", "2026-01-01T00:00:02.000Z");
        say("t8", r, "b", "2026-01-01T00:00:03.000Z");
        say("t8", r, "b", "2026-01-01T00:00:04.000Z");

        meter.reset();
        metered.advanceCursor("t8", r.id(), "a", RoomRepository.Cursor.DELIVERED, 3, "m3", "2026-01-01T00:00:05.000Z");
        metered.advanceCursor("t8", r.id(), "a", RoomRepository.Cursor.READ, 2, "m2", "2026-01-01T00:00:06.000Z");
        Member a = metered.member("t8", r.id(), "a").orElseThrow();
        metered.saveMember("t8", a.withRole(Role.OPERATOR).withMutedUntil(Member.MUTED_FOREVER));
        // one unit each for the member item (under 1 KB); nothing for its GSI1 entry, which holds none of these
        assertEquals(3.0, meter.table());
        assertEquals(0.0, meter.index());

        // a room list reads the member items themselves: it shows what those writes changed, newest activity first
        List<RoomRepository.Listed> listed = rooms.roomsOf("t8", "a", null, 10).items();
        assertEquals(List.of(r.id(), other.id()), listed.stream().map(l -> l.room().id()).toList());
        Member shown = listed.get(0).member();
        assertEquals(2, shown.lastReadSeq());
        assertEquals(3, shown.lastDeliveredSeq());
        assertEquals(Role.OPERATOR, shown.role());
        assertEquals(Member.MUTED_FOREVER, shown.mutedUntil());
        assertEquals(3, listed.get(0).room().lastSeq());
        assertEquals("a", listed.get(1).member().userId());

        // a member who left is no longer listed, whatever the index still holds
        Room current = rooms.find("t8", other.id()).orElseThrow();
        assertTrue(rooms.removeMember("t8", current, "a", record(current, "a")).isPresent());
        assertEquals(List.of(r.id()), rooms.roomsOf("t8", "a", null, 10).items().stream().map(l -> l.room().id()).toList());
    }

    @Test
    void gsi1_holdsTheKeysAndTheConnectionAttributesOnly() {
        var index = DB.client.describeTable(b -> b.tableName(DB.config.getTable())).table().globalSecondaryIndexes().get(0);
        assertEquals(TableKeys.GSI1, index.indexName());
        assertEquals(software.amazon.awssdk.services.dynamodb.model.ProjectionType.INCLUDE, index.projection().projectionType());
        assertEquals(java.util.Set.copyOf(TableKeys.GSI1_INCLUDES), java.util.Set.copyOf(index.projection().nonKeyAttributes()));
    }

    @Test
    void connections_ofManyUsers_areFoundInBatches_perTenant_andForgottenOnDelete() {
        DynamoConnectionRepository connections = new DynamoConnectionRepository(DB.client, DB.config);
        long expires = Instant.now().getEpochSecond() + 600;
        String at = Instant.now().toString();
        List<String> users = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            users.add("user-" + i);
            connections.save(new Connection("c" + i + "=", "t6", "user-" + i, null, at, expires));
        }
        connections.save(new Connection("second=", "t6", "user-7", null, at, expires));
        // the same user id in another tenant is another user
        connections.save(new Connection("other=", "t7", "user-7", null, at, expires));
        List<Connection> found = connections.ofUsers("t6", users);
        assertEquals(151, found.size());
        assertTrue(found.stream().noneMatch(c -> c.connectionId().equals("other=")));
        connections.delete("second=");
        assertEquals(List.of("c7="), connections.ofUsers("t6", List.of("user-7")).stream().map(Connection::connectionId).toList());
        assertEquals(List.of("other="), connections.ofUsers("t7", List.of("user-7")).stream().map(Connection::connectionId).toList());
    }

    @Test
    void connections_thatExpiredAreNotReturnedBeforeTtlDeletesThem() {
        DynamoConnectionRepository connections = new DynamoConnectionRepository(DB.client, DB.config);
        long now = Instant.now().getEpochSecond();
        String at = Instant.now().toString();
        connections.save(new Connection("live=", "t5", "u", null, at, now + 60));
        connections.save(new Connection("dead=", "t5", "u", null, at, now - 1));
        assertEquals(List.of("live="), connections.ofUsers("t5", List.of("u")).stream().map(Connection::connectionId).toList());
        assertTrue(connections.find("dead=").isEmpty());
        connections.joinRoom("live=", "room-1");
        assertEquals("room-1", connections.find("live=").orElseThrow().roomId());
        connections.joinRoom("live=", null);
        assertNull(connections.find("live=").orElseThrow().roomId());
    }
}
