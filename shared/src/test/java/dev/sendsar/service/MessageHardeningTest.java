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
    private final Caller server = Caller.apiKey(T);
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
        services.files.put(Upload.objectKey(T, presigned.uploadId()), new byte[3]);
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
        Message copy = actions.forward(bob, roomId, original.id(), new MessageActionService.ForwardRequest(List.of(other), null))
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
                new MessageActionService.ForwardRequest(List.of(other), null))).code());
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
}
