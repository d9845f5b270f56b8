package dev.sendsar.service;

import dev.sendsar.domain.Caller;
import dev.sendsar.error.ApiException;
import dev.sendsar.fakes.InMemoryStore;
import dev.sendsar.fakes.Services;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RoomServiceTest {
    private final Services services = new Services();
    private final InMemoryStore store = services.store;
    private final RoomService rooms = services.rooms;
    private final Caller server = Caller.apiKey("t1", "test-key");

    private RoomService.CreateRoomRequest request(String externalId, String... users) {
        return new RoomService.CreateRoomRequest("Support", externalId, "support", null, null,
                java.util.Arrays.stream(users).map(u -> new RoomService.ParticipantInput(u, u.toUpperCase(), null)).toList());
    }

    @Test
    void create_upsertsParticipantsAsUsers() {
        RoomService.Created created = rooms.create(server, request(null, "alice", "bob"));
        assertTrue(created.created());
        assertEquals(List.of("alice", "bob"), created.room().participants().stream().map(p -> p.userId()).toList());
        assertEquals("ALICE", store.userRepository.find("t1", "alice").orElseThrow().username());
    }

    @Test
    void create_withATakenExternalId_returnsTheExistingRoom() {
        RoomService.Created first = rooms.create(server, request("order_8f2a", "alice", "bob"));
        RoomService.Created again = rooms.create(server, request("order_8f2a", "alice", "carol"));
        assertFalse(again.created());
        assertEquals(first.room().summary().id(), again.room().summary().id());
        assertEquals(2, again.room().participants().size());
    }

    @Test
    void create_rejectsDuplicateAndInvalidParticipants() {
        ApiException e = assertThrows(ApiException.class, () -> rooms.create(server, request(null, "alice", "alice", "bad id")));
        assertEquals(List.of("participants[1].id", "participants[2].id"), e.details().stream().map(d -> d.field()).toList());
        assertEquals(0, store.roomRepository.roomsOf("t1", "alice", null, 10).items().size());
    }

    @Test
    void list_forASessionUser_showsOnlyItsRoomsNewestFirst() {
        String newer = rooms.create(server, request(null, "alice", "bob")).room().summary().id();
        String older = rooms.create(server, request(null, "alice", "carol")).room().summary().id();
        rooms.create(server, request(null, "bob", "carol"));
        // a message moves its room to the top of every member's list, the sender's and the others'
        String created = dev.sendsar.domain.Times.now();
        while (dev.sendsar.domain.Times.now().equals(created)) {
            Thread.onSpinWait();
        }
        services.messages.send(server, newer, new MessageService.SendMessageRequest(
                List.of(java.util.Map.of("type", "text", "text", "hi")), null, null, "bob"));

        RoomViews.RoomList list = rooms.list(Caller.user("t1", "alice"), null, null, null, null, null);
        assertEquals(List.of(newer, older), list.rooms().stream().map(RoomViews.RoomSummary::id).toList());
        assertEquals("cannot_act_as_other_user", assertThrows(ApiException.class,
                () -> rooms.list(Caller.user("t1", "alice"), "bob", null, null, null, null)).code());
    }

    @Test
    void aRoomOperator_addsExistingUsersAsTheyAre_andNeverRenamesOrCreatesUsers() {
        RoomService.CreateRoomRequest request = new RoomService.CreateRoomRequest("Team", null, null, null, null, List.of(
                new RoomService.ParticipantInput("alice", "Alice", "OPERATOR"), new RoomService.ParticipantInput("bob", "Bob", null)));
        String room = rooms.create(server, request).room().summary().id();
        rooms.create(server, request(null, "carol", "dave"));
        Caller alice = Caller.user("t1", "alice");

        ApiException rename = assertThrows(ApiException.class,
                () -> rooms.addParticipant(alice, room, new RoomService.AddParticipantRequest("carol", "Mallory", null)));
        assertEquals(403, rename.status());
        assertEquals("api_key_required", rename.code());
        assertEquals("CAROL", store.userRepository.find("t1", "carol").orElseThrow().username());
        assertEquals(2, rooms.get(server, room).participants().size());

        assertEquals("user_not_found", assertThrows(ApiException.class,
                () -> rooms.addParticipant(alice, room, new RoomService.AddParticipantRequest("eve", "Eve", null))).code());
        assertTrue(store.userRepository.find("t1", "eve").isEmpty());

        rooms.addParticipant(alice, room, new RoomService.AddParticipantRequest("carol", "CAROL", null));
        rooms.addParticipant(alice, room, new RoomService.AddParticipantRequest("dave", null, null));
        assertEquals(4, rooms.get(server, room).participants().size());
        assertEquals("CAROL", store.userRepository.find("t1", "carol").orElseThrow().username());

        // the API key may still rename and create users while adding them
        rooms.addParticipant(server, room, new RoomService.AddParticipantRequest("eve", "Eve", null));
        assertEquals("Eve", store.userRepository.find("t1", "eve").orElseThrow().username());
    }

    @Test
    void roomUpdated_carriesEachParticipantsOwnUnreadCount_andAViewerlessAnswerCarriesNone() {
        String roomId = rooms.create(server, request(null, "alice", "bob")).room().summary().id();
        assertNull(rooms.create(server, request(null, "alice", "bob")).room().summary().unreadCount());
        for (String text : List.of("one", "two")) {
            services.messages.send(server, roomId, new MessageService.SendMessageRequest(
                    List.of(java.util.Map.of("type", "text", "text", text)), null, null, "alice"));
        }
        store.connectionRepository.save(new dev.sendsar.domain.Connection("c-alice", "t1", "alice", null, "2026-01-01T00:00:00.000Z", Long.MAX_VALUE));
        store.connectionRepository.save(new dev.sendsar.domain.Connection("c-bob", "t1", "bob", null, "2026-01-01T00:00:00.000Z", Long.MAX_VALUE));
        store.posted.clear();

        RoomViews.RoomDetail answer = rooms.update(server, roomId, new RoomService.UpdateRoomRequest("Renamed", null, null, null, null));
        assertNull(answer.summary().unreadCount());
        String toBob = store.posted.stream().filter(p -> p.startsWith("c-bob ")).findFirst().orElseThrow();
        String toAlice = store.posted.stream().filter(p -> p.startsWith("c-alice ")).findFirst().orElseThrow();
        assertTrue(toBob.contains("\"event\":\"room-updated\"") && toBob.contains("\"unreadCount\":2"), toBob);
        assertTrue(toAlice.contains("\"unreadCount\":0"), toAlice);

        rooms.changeRole(server, roomId, "bob", new RoomService.RoleRequest("OPERATOR"));
        RoomViews.RoomDetail asBob = rooms.update(Caller.user("t1", "bob"), roomId, new RoomService.UpdateRoomRequest("Again", null, null, null, null));
        assertEquals(2, asBob.summary().unreadCount());
    }

    @Test
    void aDeleted1to1Conversation_leavesNothingUnread_andCountsWhatArrivesAfter() {
        RealtimeService realtime = new RealtimeService(store.connectionRepository, store.roomRepository, services.publisher,
                services.rateLimits);
        String roomId = rooms.create(server, request(null, "alice", "bob")).room().summary().id();
        for (String text : List.of("one", "two", "three")) {
            services.messages.send(server, roomId, new MessageService.SendMessageRequest(
                    List.of(java.util.Map.of("type", "text", "text", text)), null, null, "alice"));
        }
        assertEquals(3, realtime.unreadTotal("t1", "bob"));

        Caller bob = Caller.user("t1", "bob");
        assertTrue(rooms.deleteForMe(bob, roomId).hidden());
        assertEquals(0, realtime.unreadTotal("t1", "bob"), "a hidden conversation adds nothing to the unread total");
        assertTrue(rooms.list(bob, null, null, null, null, null).rooms().isEmpty());

        services.messages.send(server, roomId, new MessageService.SendMessageRequest(
                List.of(java.util.Map.of("type", "text", "text", "four")), null, null, "alice"));
        assertEquals(1, realtime.unreadTotal("t1", "bob"));
        assertEquals(1, rooms.list(bob, null, null, null, null, null).rooms().get(0).unreadCount());
    }
}
