package dev.sendsar.service;

import dev.sendsar.domain.Caller;
import dev.sendsar.domain.Connection;
import dev.sendsar.error.ApiException;
import dev.sendsar.fakes.InMemoryStore;
import dev.sendsar.fakes.Services;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MessageServiceTest {
    private static final String T = "t1";
    private final Services services = new Services();
    private final InMemoryStore store = services.store;
    private final MessageService messages = services.messages;
    private final RoomService rooms = services.rooms;
    private final Caller server = Caller.apiKey(T, "test-key");
    private String roomId;

    @BeforeEach
    void room() {
        roomId = rooms.create(server, new RoomService.CreateRoomRequest("r", null, null, null, null, List.of(
                new RoomService.ParticipantInput("alice", "Alice", null),
                new RoomService.ParticipantInput("bob", "Bob", null)))).room().summary().id();
    }

    private MessageService.SendMessageRequest text(String sender, String text, String clientMessageId) {
        return new MessageService.SendMessageRequest(List.of(Map.of("type", "text", "text", text)), clientMessageId, null, sender);
    }

    @Test
    void send_givesSeqsFromOneAndFansOutToEveryConnectionOfEveryMember() {
        store.connectionRepository.save(new Connection("c-alice", T, "alice", null, "2026-01-01T00:00:00.000Z", Long.MAX_VALUE));
        store.connectionRepository.save(new Connection("c-bob", T, "bob", null, "2026-01-01T00:00:00.000Z", Long.MAX_VALUE));
        store.connectionRepository.save(new Connection("c-carol", T, "carol", null, "2026-01-01T00:00:00.000Z", Long.MAX_VALUE));

        MessageService.Sent first = messages.send(server, roomId, text("alice", "one", null));
        MessageService.Sent second = messages.send(server, roomId, text("bob", "two", null));

        assertEquals(1, first.message().seq());
        assertEquals(2, second.message().seq());
        assertTrue(first.created());
        assertEquals("one", first.message().previewText());
        assertEquals(4, store.posted.size());
        assertTrue(store.posted.stream().noneMatch(p -> p.startsWith("c-carol")));
        assertTrue(store.posted.get(0).contains("\"event\":\"new-message\""));
    }

    /**
     * A message is stored quiet (its stream record invokes no event router) only when every recipient has a socket the
     * send posts to and the tenant's webhook does not want new messages: else the router may push or tell the webhook.
     */
    @Test
    void aMessageIsQuietOnlyWhenEveryRecipientHasASocketAndNoWebhookWantsIt() {
        String offline = messages.send(server, roomId, text("alice", "bob has no socket", null)).message().id();
        store.connectionRepository.save(new Connection("c-bob", T, "bob", null, "2026-01-01T00:00:00.000Z", Long.MAX_VALUE));
        String reached = messages.send(server, roomId, text("alice", "bob has one", null)).message().id();
        services.webhookTenants.add(T);
        String wanted = messages.send(server, roomId, text("alice", "the webhook wants it", null)).message().id();

        assertEquals(java.util.Set.of(reached), store.quietMessages, "offline " + offline + ", webhook " + wanted);
    }

    /** A recipient whose only socket turns out gone when posted to: the message loses its quiet mark after all. */
    @Test
    void aQuietMessageWhoseRecipientsSocketIsGone_losesTheMark() {
        store.connectionRepository.save(new Connection("c-bob", T, "bob", null, "2026-01-01T00:00:00.000Z", Long.MAX_VALUE));
        store.connectionRepository.save(new Connection("c-bob-2", T, "bob", null, "2026-01-01T00:00:00.000Z", Long.MAX_VALUE));
        store.gone.add("c-bob");
        String reached = messages.send(server, roomId, text("alice", "bob's other socket took it", null)).message().id();
        store.gone.add("c-bob-2");
        String missed = messages.send(server, roomId, text("alice", "bob's sockets are gone", null)).message().id();

        assertEquals(java.util.Set.of(reached), store.quietMessages);
        assertEquals(java.util.Set.of(missed), store.unquieted);
    }

    @Test
    void send_withAClientMessageIdSentBefore_returnsTheOriginalAndStoresNothing() {
        MessageService.Sent first = messages.send(server, roomId, text("alice", "hello", "c1"));
        MessageService.Sent retry = messages.send(server, roomId, text("alice", "hello again", "c1"));

        assertFalse(retry.created());
        assertEquals(first.message().id(), retry.message().id());
        assertEquals("hello", retry.message().previewText());
        assertEquals(1, messages.list(server, roomId, null, null, null, null).messages().size());
    }

    @Test
    void send_thatLosesTheSeqRace_retriesWithTheNextSeq() {
        AtomicBoolean raced = new AtomicBoolean();
        store.beforePut = () -> {
            if (raced.compareAndSet(false, true)) {
                store.bumpSeq(T, roomId);
            }
        };
        assertEquals(2, messages.send(server, roomId, text("alice", "late", null)).message().seq());
    }

    @Test
    void send_intoARoomFrozenAfterThisInstanceWroteToIt_is403AndStoresNothing() {
        messages.send(server, roomId, text("alice", "before", null));
        store.roomRepository.update(T, roomId, new dev.sendsar.ports.RoomRepository.RoomChanges(null, null, null, null, true, "2026-01-01T00:00:00.000Z"));
        assertEquals("room_frozen", assertThrows(ApiException.class, () -> messages.send(server, roomId, text("alice", "after", null))).code());
        assertEquals(1, messages.list(server, roomId, null, null, null, null).messages().size());
    }

    @Test
    void aRefusedSendWithAFile_sharesTheFileWithNobody_andASentOneSharesItWithTheRoom() {
        services.directory.createTenant(new dev.sendsar.ports.TenantDirectory.Tenant(T, "T", true, "2026-01-01T00:00:00.000Z"));
        Caller alice = Caller.user(T, "alice");
        var presigned = services.uploads.presign(alice, new UploadService.PresignRequest("p.png", "image/png", 3L, null));
        services.files.put(dev.sendsar.domain.Upload.pendingObjectKey(T, presigned.uploadId()), new byte[3]);
        services.uploads.complete(alice, presigned.uploadId());
        var request = new MessageService.SendMessageRequest(List.of(Map.of("type", "file", "uploadId", presigned.uploadId(),
                "mediaType", "image/png", "filename", "p.png")), null, null, null);
        store.roomRepository.update(T, roomId, new dev.sendsar.ports.RoomRepository.RoomChanges(null, null, null, null, true, "2026-01-01T00:00:00.000Z"));

        assertEquals("room_frozen", assertThrows(ApiException.class, () -> messages.send(alice, roomId, request)).code());
        assertEquals(404, assertThrows(ApiException.class, () -> services.uploads.access(Caller.user(T, "bob"), presigned.uploadId())).status());

        store.roomRepository.update(T, roomId, new dev.sendsar.ports.RoomRepository.RoomChanges(null, null, null, null, false, "2026-01-01T00:00:01.000Z"));
        messages.send(alice, roomId, request);
        assertTrue(services.uploads.access(Caller.user(T, "bob"), presigned.uploadId()).accessUrl().contains(presigned.uploadId()));
    }

    @Test
    void send_afterAnotherInstanceWroteToTheRoom_stillTakesTheNextSeq() {
        messages.send(server, roomId, text("alice", "one", null));
        store.bumpSeq(T, roomId); // a write this instance did not see: its remembered seq is stale
        assertEquals(3, messages.send(server, roomId, text("bob", "three", null)).message().seq());
    }

    @Test
    void send_afterAnotherInstanceAddedAMember_reachesTheNewMember_evenBeforeTheRecordOfIt() {
        messages.send(server, roomId, text("alice", "one", null)); // this instance now remembers the room
        store.connectionRepository.save(new Connection("c-carol", T, "carol", null, "2026-01-01T00:00:00.000Z", Long.MAX_VALUE));
        var room = store.roomRepository.find(T, roomId).orElseThrow();
        // another instance adds carol (with the record of it, at seq 2): this instance's member list is stale
        assertTrue(store.roomRepository.addMember(T, room, dev.sendsar.domain.Member.joining(roomId, "carol", "Carol",
                dev.sendsar.domain.Role.MEMBER, "2026-01-01T00:00:01.000Z"),
                MessageService.membershipRecord(server, roomId, "joined", "carol")).isPresent());

        assertEquals(3, messages.send(server, roomId, text("bob", "for carol too", null)).message().seq());
        assertTrue(store.posted.stream().anyMatch(p -> p.startsWith("c-carol") && p.contains("for carol too")), store.posted.toString());
    }

    @Test
    void send_fromAMemberAnotherInstanceRemoved_isRefusedAsBefore_andStoresNothing() {
        messages.send(server, roomId, text("alice", "one", null)); // this instance remembers alice as a member
        var room = store.roomRepository.find(T, roomId).orElseThrow();
        assertTrue(store.roomRepository.removeMember(T, room, "alice",
                MessageService.membershipRecord(server, roomId, "removed", "alice")).isPresent());

        assertEquals("not_a_participant", assertThrows(ApiException.class,
                () -> messages.send(server, roomId, text("alice", "after", "c-2"))).code());
        assertEquals(404, assertThrows(ApiException.class,
                () -> messages.send(Caller.user(T, "alice"), roomId, text(null, "after", "c-3"))).status());
        assertEquals(2, store.roomRepository.find(T, roomId).orElseThrow().lastSeq()); // the record of the removal
        assertTrue(store.roomRepository.member(T, roomId, "alice").isEmpty());
    }

    @Test
    void send_asASessionUserNamingSomeoneElse_is403CannotActAsOtherUser() {
        ApiException e = assertThrows(ApiException.class,
                () -> messages.send(Caller.user(T, "alice"), roomId, text("bob", "hi", null)));
        assertEquals(403, e.status());
        assertEquals("cannot_act_as_other_user", e.code());
    }

    @Test
    void send_toARoomTheUserIsNotIn_is404ForAJwtAnd403ForAnApiKey() {
        assertEquals(404, assertThrows(ApiException.class,
                () -> messages.send(Caller.user(T, "carol"), roomId, text(null, "hi", null))).status());
        assertEquals("not_a_participant", assertThrows(ApiException.class,
                () -> messages.send(server, roomId, text("carol", "hi", null))).code());
        assertEquals(404, assertThrows(ApiException.class,
                () -> messages.send(Caller.apiKey("other-tenant", "test-key"), roomId, text("alice", "hi", null))).status());
    }

    @Test
    void send_withBadParts_namesEachBadField() {
        var request = new MessageService.SendMessageRequest(List.of(Map.of("type", "text"), Map.of("type", "bogus")), null, null, "alice");
        ApiException e = assertThrows(ApiException.class, () -> messages.send(server, roomId, request));
        assertEquals("validation_failed", e.code());
        assertEquals(List.of("parts[0].text", "parts[1].type"), e.details().stream().map(d -> d.field()).toList());
    }

    @Test
    void list_pagesNewestFirstAndForwardFromAfterSeq() {
        for (int i = 1; i <= 5; i++) {
            messages.send(server, roomId, text("alice", "m" + i, null));
        }
        MessageService.MessagePage first = messages.list(server, roomId, null, null, 2, null);
        assertEquals(List.of(5L, 4L), first.messages().stream().map(m -> m.seq()).toList());
        MessageService.MessagePage second = messages.list(server, roomId, null, first.nextCursor(), 2, null);
        assertEquals(List.of(3L, 2L), second.messages().stream().map(m -> m.seq()).toList());
        MessageService.MessagePage last = messages.list(server, roomId, null, second.nextCursor(), 2, null);
        assertEquals(List.of(1L), last.messages().stream().map(m -> m.seq()).toList());
        assertNull(last.nextCursor());

        MessageService.MessagePage after = messages.list(server, roomId, null, null, 2, 2L);
        assertEquals(List.of(3L, 4L), after.messages().stream().map(m -> m.seq()).toList());
        assertEquals(List.of(5L), messages.list(server, roomId, null, after.nextCursor(), 2, null).messages().stream().map(m -> m.seq()).toList());
    }

    @Test
    void unreadCount_isLastSeqLessTheReadCursorAndNeverCountsOwnMessages() {
        messages.send(server, roomId, text("alice", "1", null));
        messages.send(server, roomId, text("alice", "2", null));
        assertEquals(2, rooms.get(Caller.user(T, "bob"), roomId).summary().unreadCount());
        assertEquals(0, rooms.get(Caller.user(T, "alice"), roomId).summary().unreadCount());
        messages.send(server, roomId, text("bob", "3", null));
        assertEquals(0, rooms.get(Caller.user(T, "bob"), roomId).summary().unreadCount());
        assertEquals(1, rooms.get(Caller.user(T, "alice"), roomId).summary().unreadCount());
    }

    @Test
    void a1to1Conversation_writesNoReadCursor_yetOwnMessagesStayRead() {
        for (String sender : List.of("alice", "alice", "alice", "bob", "alice", "bob", "bob")) {
            messages.send(server, roomId, text(sender, "hi", null));
        }
        assertEquals(0, store.cursorWrites.get());
        assertEquals(0, store.roomRepository.member(T, roomId, "alice").orElseThrow().lastReadSeq());
        assertEquals(2, rooms.get(Caller.user(T, "alice"), roomId).summary().unreadCount());
        assertEquals(0, rooms.get(Caller.user(T, "bob"), roomId).summary().unreadCount());
        assertEquals(5, dev.sendsar.domain.Ids.seqOfMessageId(rooms.get(Caller.user(T, "alice"), roomId).summary().lastReadMessageId()));
    }

    /**
     * Three members take turns in runs of varying length: nobody's own message ever counts as unread to it, and every
     * count is exact; a cursor is written only when a sender drops out of the room item's last two senders.
     */
    @Test
    void aGroupRotatingSenders_keepsEveryUnreadCountExact() {
        rooms.addParticipant(server, roomId, new RoomService.AddParticipantRequest("carol", "Carol", null));
        Map<String, Long> ownLast = new java.util.HashMap<>();
        ownLast.put("carol", 1L); // the record of her joining, sent in her name (the API key added her), is hers
        List<String> people = List.of("alice", "bob", "carol");
        String[] turns = {"alice", "bob", "carol", "carol", "alice", "bob", "alice", "bob", "bob", "carol", "alice", "carol", "bob"};
        for (String sender : turns) {
            long seq = messages.send(server, roomId, text(sender, "m", null)).message().seq();
            ownLast.put(sender, seq);
            for (String p : people) {
                RoomViews.RoomSummary seen = rooms.get(Caller.user(T, p), roomId).summary();
                assertEquals(seen.lastSeq() - ownLast.getOrDefault(p, 0L), seen.unreadCount(), p + " after " + seq);
            }
        }
        // only a send that pushes a third sender out of the room item writes a cursor (that sender's): at seqs 3, 4,
        // 6, 7, 11, 12 and 14, where every send used to write one
        assertEquals(7, store.cursorWrites.get());
    }
}
