package dev.sendsar.service;

import dev.sendsar.domain.Caller;
import dev.sendsar.domain.Message;
import dev.sendsar.domain.Upload;
import dev.sendsar.error.ApiException;
import dev.sendsar.fakes.InMemoryStore;
import dev.sendsar.fakes.Services;
import dev.sendsar.ports.TenantDirectory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What an attacker tried against messages (issue 11): private files, forged records, server-owned fields, retries. */
class MessageHardeningTest {
    private static final String T = "t1";
    private final Services services = new Services();
    private final InMemoryStore store = services.store;
    private final MessageService messages = services.messages;
    private final MessageActionService actions = services.actions;
    private final Caller server = Caller.apiKey(T, "test-key");
    private final Caller alice = Caller.user(T, "alice");
    private final Caller bob = Caller.user(T, "bob");
    private String roomId;

    @BeforeEach
    void room() {
        services.directory.createTenant(new TenantDirectory.Tenant(T, "T", true, "2026-01-01T00:00:00.000Z"));
        roomId = services.rooms.create(server, new RoomService.CreateRoomRequest("r", null, null, null, null, List.of(
                new RoomService.ParticipantInput("alice", "Alice", null),
                new RoomService.ParticipantInput("bob", "Bob", null)))).room().summary().id();
    }

    private String privateUpload(Caller owner) {
        var presigned = services.uploads.presign(owner, new UploadService.PresignRequest("secret.pdf", "application/pdf", 3L, null));
        services.files.put(Upload.pendingObjectKey(T, presigned.uploadId()), new byte[3]);
        services.uploads.complete(owner, presigned.uploadId());
        return presigned.uploadId();
    }

    private static Map<String, Object> file(String uploadId) {
        Map<String, Object> part = new LinkedHashMap<>();
        part.put("type", "file");
        part.put("uploadId", uploadId);
        part.put("mediaType", "application/pdf");
        part.put("filename", "secret.pdf");
        return part;
    }

    private MessageService.SendMessageRequest text(String text, String clientMessageId) {
        return new MessageService.SendMessageRequest(List.of(Map.of("type", "text", "text", text)), clientMessageId, null, null);
    }

    @Test
    void edit_namingAnotherUsersPrivateUpload_is400AndLeaksNoUrl() {
        String carols = privateUpload(Caller.user(T, "carol"));
        Message mine = messages.send(bob, roomId, text("hi", null)).message();

        ApiException e = assertThrows(ApiException.class, () -> actions.edit(bob, roomId, mine.id(),
                new MessageActionService.EditRequest(List.of(file(carols)))));
        assertEquals(400, e.status());
        assertEquals("parts[0].uploadId", e.details().get(0).field());
        assertEquals("hi", messages.list(bob, roomId, null, null, null, null).messages().get(0).previewText());
    }

    @Test
    void aStoredPartNamingAnUploadNotSharedWithTheRoom_getsNoAccessUrl() {
        String carols = privateUpload(Caller.user(T, "carol"));
        Message mine = messages.send(bob, roomId, text("hi", null)).message();
        // whatever path put the part there (an old edit, a bug, a restore), reading it must not sign the bytes
        store.messageRepository.update(T, roomId, mine.seq(), m -> m.withParts(List.of(file(carols))));

        Map<String, Object> part = messages.list(bob, roomId, null, null, null, null).messages().get(0).parts().get(0);
        assertTrue(part.containsKey("accessUrl"));
        assertNull(part.get("accessUrl"));
    }

    @Test
    void edit_withOwnUpload_sharesItWithTheRoom() {
        String mine = privateUpload(bob);
        Message sent = messages.send(bob, roomId, text("hi", null)).message();
        Message edited = actions.edit(bob, roomId, sent.id(), new MessageActionService.EditRequest(List.of(file(mine))));
        assertTrue(((String) edited.parts().get(0).get("accessUrl")).contains(mine));
        assertTrue(services.uploads.access(alice, mine).accessUrl().contains(mine));
    }

    @Test
    void aSenderChosenAccessUrl_isNeverStoredOrServed() {
        String mine = privateUpload(bob);
        Map<String, Object> forged = file(mine);
        forged.put("accessUrl", "https://evil.example/phish");
        forged.put("accessUrlExpiresAt", "2099-01-01T00:00:00.000Z");
        Map<String, Object> data = new LinkedHashMap<>(Map.of("type", "data-card", "data", Map.of("x", 1)));
        data.put("accessUrl", "https://evil.example/2");
        Message sent = messages.send(bob, roomId, new MessageService.SendMessageRequest(List.of(forged, data), null, null, null)).message();

        Message stored = store.messageRepository.findById(T, roomId, sent.id()).orElseThrow();
        assertFalse(stored.parts().get(0).containsKey("accessUrl"));
        assertFalse(stored.parts().get(1).containsKey("accessUrl"));
        assertTrue(((String) sent.parts().get(0).get("accessUrl")).startsWith("mem://get/"));

        Message edited = actions.edit(bob, roomId, sent.id(), new MessageActionService.EditRequest(List.of(forged)));
        assertTrue(((String) edited.parts().get(0).get("accessUrl")).startsWith("mem://get/"));
        assertFalse(store.messageRepository.findById(T, roomId, sent.id()).orElseThrow().parts().get(0).containsKey("accessUrl"));
    }

    @Test
    void clientsCannotSendOrEditInMembershipOrCallParts() {
        for (String type : List.of("data-membership", "data-call")) {
            var forged = List.<Map<String, Object>>of(Map.of("type", type, "data", Map.of("action", "removed")));
            ApiException sent = assertThrows(ApiException.class, () -> messages.send(bob, roomId,
                    new MessageService.SendMessageRequest(forged, null, null, null)));
            assertEquals(400, sent.status());
            assertEquals("reserved_part_type", sent.code());
            assertEquals("parts[0].type", sent.details().get(0).field());

            Message mine = messages.send(bob, roomId, text("hi", null)).message();
            assertEquals("reserved_part_type", assertThrows(ApiException.class,
                    () -> actions.edit(server, roomId, mine.id(), new MessageActionService.EditRequest(forged))).code());
        }
    }

    @Test
    void aForwardedCopy_cannotBeEditedSoItNeverPutsWordsInTheOriginalSendersMouth() {
        String other = services.rooms.create(server, new RoomService.CreateRoomRequest("r2", null, null, null, null, List.of(
                new RoomService.ParticipantInput("alice", "Alice", null),
                new RoomService.ParticipantInput("bob", "Bob", null)))).room().summary().id();
        Message original = messages.send(alice, roomId, text("I agree", null)).message();
        Message copy = actions.forward(bob, roomId, original.id(), new MessageActionService.ForwardRequest(List.of(other), null), null)
                .messages().get(0);

        for (Caller who : List.of(bob, server)) {
            ApiException e = assertThrows(ApiException.class, () -> actions.edit(who, other, copy.id(),
                    new MessageActionService.EditRequest(List.of(Map.of("type", "text", "text", "I disagree")))));
            assertEquals(409, e.status());
            assertEquals("message_forwarded", e.code());
        }
        assertEquals("I agree", messages.list(alice, other, null, null, null, null).messages().get(0).previewText());
    }

    @Test
    void aMembershipRecord_cannotBeForwarded() {
        services.rooms.addParticipant(server, roomId, new RoomService.AddParticipantRequest("carol", null, null));
        Message record = messages.list(server, roomId, null, null, null, null).messages().get(0);
        assertEquals("data-membership", record.parts().get(0).get("type"));
        String other = services.rooms.create(server, new RoomService.CreateRoomRequest("r2", null, null, null, null, List.of(
                new RoomService.ParticipantInput("bob", "Bob", null),
                new RoomService.ParticipantInput("carol", "Carol", null)))).room().summary().id();
        assertEquals("message_not_forwardable", assertThrows(ApiException.class, () -> actions.forward(bob, roomId, record.id(),
                new MessageActionService.ForwardRequest(List.of(other), null), null)).code());
    }

    @Test
    void aRetryOfAStoredClientMessageId_returnsTheOriginal_evenAfterTheSenderLeftOrTheRoomFroze() {
        Message original = messages.send(bob, roomId, text("hello", "c-1")).message();
        services.rooms.removeParticipant(server, roomId, "bob");

        MessageService.Sent retry = messages.send(bob, roomId, text("hello", "c-1"));
        assertFalse(retry.created());
        assertEquals(original.id(), retry.message().id());
        assertEquals("hello", retry.message().previewText());

        // a new message from the leaver is still refused, and another sender's id is not theirs to read
        assertEquals(404, assertThrows(ApiException.class, () -> messages.send(bob, roomId, text("again", "c-2"))).status());
        assertEquals(404, assertThrows(ApiException.class, () -> messages.send(Caller.user(T, "carol"), roomId, text("x", "c-1"))).status());

        Message a = messages.send(alice, roomId, text("mine", "c-3")).message();
        store.roomRepository.update(T, roomId, new dev.sendsar.ports.RoomRepository.RoomChanges(null, null, null, null, true, "2026-01-01T00:00:00.000Z"));
        assertEquals(a.id(), messages.send(alice, roomId, text("mine", "c-3")).message().id());
        assertEquals("room_frozen", assertThrows(ApiException.class, () -> messages.send(alice, roomId, text("new", "c-4"))).code());
    }

    private MessageActionService.ReactionRequest reaction(String emoji, String userId) {
        return new MessageActionService.ReactionRequest(emoji, userId);
    }

    @Test
    void reactions_areBoundedInDistinctEmojiAndEmojiLength() {
        Message m = messages.send(alice, roomId, text("vote", null)).message();
        for (int i = 0; i < MessageActionService.MAX_DISTINCT_EMOJI; i++) {
            actions.react(bob, roomId, m.id(), reaction("e" + i, null));
        }
        ApiException full = assertThrows(ApiException.class, () -> actions.react(alice, roomId, m.id(), reaction("one-more", null)));
        assertEquals(409, full.status());
        assertEquals("too_many_reactions", full.code());
        actions.react(alice, roomId, m.id(), reaction("e0", null)); // an emoji already there still works
        actions.react(bob, roomId, m.id(), reaction("e1", null)); // and removing always works
        assertEquals(MessageActionService.MAX_DISTINCT_EMOJI, store.messageRepository.findById(T, roomId, m.id()).orElseThrow().reactions().size());

        assertEquals(400, assertThrows(ApiException.class, () -> actions.react(bob, roomId, m.id(),
                reaction("x".repeat(MessageActionService.MAX_EMOJI_CHARS + 1), null))).status());
    }

    @Test
    void aLargeMessage_stopsTakingReactionsBeforeItsEventOutgrowsAWebSocketFrame() {
        Message m = messages.send(alice, roomId, text("z".repeat(7_900), null)).message();
        actions.edit(alice, roomId, m.id(), new MessageActionService.EditRequest(List.of(
                Map.of("type", "text", "text", "z".repeat(7_900)),
                Map.of("type", "data-blob", "data", Map.of("pad", "p".repeat(55_000))))));
        int accepted = 0;
        ApiException refused = null;
        for (int i = 0; i < MessageActionService.MAX_REACTIONS && refused == null; i++) {
            String user = "user-" + i + "-" + "u".repeat(100);
            services.rooms.addParticipant(server, roomId, new RoomService.AddParticipantRequest(user, null, null));
            try {
                actions.react(server, roomId, m.id(), reaction("e" + (i % 40), user));
                accepted++;
            } catch (ApiException e) {
                refused = e;
            }
        }
        assertTrue(refused != null, "a 120 KB message must refuse reactions before the limit");
        assertEquals("too_many_reactions", refused.code());
        assertTrue(accepted > 50, "accepted " + accepted);
        String event = services.publisher.frame("message-updated",
                messages.asShown(T, store.messageRepository.findById(T, roomId, m.id()).orElseThrow()));
        assertTrue(event.getBytes(java.nio.charset.StandardCharsets.UTF_8).length < 128 * 1024, "event of " + event.length());
    }

    @Test
    void aRepliesParent_showsTheParentAsItIsNow_editedOrDeleted() {
        Message parent = messages.send(alice, roomId, text("original", null)).message();
        Message reply = messages.send(bob, roomId, new MessageService.SendMessageRequest(
                List.of(Map.of("type", "text", "text", "re")), null, parent.id(), null)).message();
        assertEquals("original", reply.parentMessage().previewText());

        actions.edit(alice, roomId, parent.id(), new MessageActionService.EditRequest(List.of(Map.of("type", "text", "text", "edited"))));
        Message shown = messages.list(bob, roomId, null, null, 1, null).messages().get(0);
        assertEquals(reply.id(), shown.id());
        assertEquals("edited", shown.parentMessage().previewText());
        assertEquals("edited", shown.parentMessage().parts().get(0).get("text"));

        actions.delete(alice, roomId, parent.id());
        shown = messages.list(bob, roomId, null, null, 1, null).messages().get(0);
        assertTrue(shown.parentMessage().deleted());
        assertEquals(List.of(), shown.parentMessage().parts());
        assertEquals("", shown.parentMessage().previewText());
        // the same in a page that holds the parent too, and in the answer to an action on the reply
        assertTrue(messages.list(bob, roomId, null, null, 10, null).messages().get(0).parentMessage().deleted());
        assertTrue(actions.pin(bob, roomId, reply.id(), null, true).parentMessage().deleted());
    }

    @Test
    void theRoomsLastMessage_showsAnEditOrDeleteOfIt() {
        Message last = messages.send(alice, roomId, text("secret plans", null)).message();
        actions.edit(alice, roomId, last.id(), new MessageActionService.EditRequest(List.of(Map.of("type", "text", "text", "nothing"))));
        assertEquals("nothing", services.rooms.get(bob, roomId).summary().lastMessage().previewText());
        actions.delete(alice, roomId, last.id());
        assertEquals("", services.rooms.get(bob, roomId).summary().lastMessage().previewText());
        assertEquals(last.id(), services.rooms.get(bob, roomId).summary().lastMessage().id());
    }

    @Test
    void aReplyToALargeMessage_embedsABoundedPreviewAndItsEventFitsAFrame() {
        Message parent = messages.send(alice, roomId, new MessageService.SendMessageRequest(List.of(
                Map.of("type", "text", "text", "a".repeat(8_000)),
                Map.of("type", "data-blob", "data", Map.of("pad", "p".repeat(55_000)))), null, null, null)).message();
        Message reply = messages.send(bob, roomId, new MessageService.SendMessageRequest(List.of(
                Map.of("type", "text", "text", "b".repeat(8_000)),
                Map.of("type", "data-blob", "data", Map.of("pad", "q".repeat(55_000)))), null, parent.id(), null)).message();
        assertEquals(List.of(), reply.parentMessage().parts());
        assertEquals(200, reply.parentMessage().previewText().length());
        String event = services.publisher.frame("new-message", reply);
        assertTrue(event.getBytes(java.nio.charset.StandardCharsets.UTF_8).length < 128 * 1024, "event of " + event.length());
    }

    @Test
    void aMessageHasAtMostTenFileParts() {
        String mine = privateUpload(bob);
        List<Map<String, Object>> files = java.util.Collections.nCopies(11, file(mine));
        ApiException e = assertThrows(ApiException.class, () -> messages.send(bob, roomId,
                new MessageService.SendMessageRequest(files, null, null, null)));
        assertEquals("parts[10]", e.details().get(0).field());
    }

    @Test
    void aSendPastTheLimit_storesNothing_andLeavesNoClaim_soTheSameClientMessageIdIsANewSendLater() {
        services.settings.patch(server, Map.of("chat", Map.of("rateLimits", Map.of("sendMessage", 1))));
        ApiException limited = null;
        int sent = 0;
        // the count runs beside the claim and the room read; a minute may roll over between two sends, so try on
        for (int i = 0; i < 3 && limited == null; i++) {
            try {
                messages.send(alice, roomId, text("m" + i, "c" + i));
                sent++;
            } catch (ApiException e) {
                limited = e;
                assertTrue(store.messageRepository.reservation(T,
                        new dev.sendsar.ports.MessageRepository.ClientKey(roomId, "alice", "c" + i)).isEmpty(), "claim of c" + i);
            }
        }
        assertEquals(429, limited == null ? 0 : limited.status());
        assertEquals("rate_limited", limited.code());
        assertEquals(sent, messages.list(alice, roomId, null, null, null, null).messages().size());
    }

    @Test
    void everyWriteOfASessionUserCounts_editReactPinReceiptsAndForwardPerTargetRoom() {
        services.settings.patch(server, Map.of("chat", Map.of("rateLimits", Map.of("messageActions", 3, "receipts", 1,
                "sendMessage", 2, "otherWrites", 1))));
        Message m = messages.send(alice, roomId, text("hi", null)).message();
        actions.react(bob, roomId, m.id(), reaction("a", null));
        actions.pin(bob, roomId, m.id(), null, true);
        actions.react(bob, roomId, m.id(), reaction("a", null));
        assertEquals(429, assertThrows(ApiException.class, () -> actions.pin(bob, roomId, m.id(), null, false)).status());
        actions.edit(alice, roomId, m.id(), new MessageActionService.EditRequest(List.of(Map.of("type", "text", "text", "own budget"))));

        services.receipts.read(bob, roomId, new ReceiptService.ReadRequest(m.id(), null));
        assertEquals(429, assertThrows(ApiException.class,
                () -> services.receipts.delivered(bob, roomId, new ReceiptService.DeliveredRequest(m.id(), null))).status());

        services.rooms.clearHistory(bob, roomId);
        assertEquals(429, assertThrows(ApiException.class, () -> services.rooms.deleteForMe(bob, roomId)).status());

        List<String> targets = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            targets.add(services.rooms.create(server, new RoomService.CreateRoomRequest("f" + i, null, null, null, null, List.of(
                    new RoomService.ParticipantInput("alice", "Alice", null),
                    new RoomService.ParticipantInput("bob", "Bob", null)))).room().summary().id());
        }
        Message other = messages.send(bob, roomId, text("fwd me", null)).message();
        ApiException refused = assertThrows(ApiException.class, () -> actions.forward(bob, roomId, other.id(),
                new MessageActionService.ForwardRequest(targets, null), null));
        assertEquals(429, refused.status());
        for (String target : targets) {
            assertTrue(messages.list(server, target, null, null, null, null).messages().isEmpty());
        }
    }
}
