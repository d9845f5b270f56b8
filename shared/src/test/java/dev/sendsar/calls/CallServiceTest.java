package dev.sendsar.calls;

import dev.sendsar.domain.Caller;
import dev.sendsar.error.ApiException;
import dev.sendsar.fakes.Services;
import dev.sendsar.ports.TenantDirectory;
import dev.sendsar.service.MessageService;
import dev.sendsar.service.RoomService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Without a media server, calls are a clear 503 and chat is untouched; a tenant's switch comes first. */
class CallServiceTest {
    private final Services services = new Services();
    private final Caller alice = Caller.user("t1", "alice");
    private String roomId;

    /** A media server that is not configured: what a stack without LIVEKIT_* has. */
    private static final MediaServer NONE = new MediaServer() {
        @Override
        public boolean configured() {
            return false;
        }

        @Override
        public Credentials credentials(String room, String userId, String name, int ttlSeconds) {
            throw new AssertionError("no token without a media server");
        }

        @Override
        public void deleteRoom(String room) {
            throw new AssertionError("no media server");
        }

        @Override
        public Optional<RoomEvent> receive(String body, String authorization) {
            throw new AssertionError("no media server");
        }
    };

    /** No call may be stored or timed without a media server. */
    private static final class NoCalls implements CallRepository {
        final Map<String, Call> calls = new ConcurrentHashMap<>();

        @Override
        public Optional<Call> find(String tenantId, String roomId, String callId) {
            return Optional.empty();
        }

        @Override
        public Optional<Call> active(String tenantId, String roomId) {
            return Optional.empty();
        }

        @Override
        public boolean create(String tenantId, Call call) {
            calls.put(call.id(), call);
            return true;
        }

        @Override
        public boolean replace(String tenantId, Call before, Call after) {
            calls.put(after.id(), after);
            return true;
        }

        @Override
        public Optional<MediaRoomCall> byMediaRoom(String livekitRoomName) {
            return Optional.empty();
        }
    }

    private final NoCalls store = new NoCalls();
    private final CallService calls = new CallService(store, services.store.roomRepository, services.store.userRepository,
            NONE, (ref, delay) -> { throw new AssertionError("no timer without a media server"); }, services.settings,
            services.publisher, services.messages);

    @BeforeEach
    void room() {
        services.directory.createTenant(new TenantDirectory.Tenant("t1", "T", true, "2026-01-01T00:00:00.000Z"));
        roomId = services.rooms.create(Caller.apiKey("t1", "key1"), new RoomService.CreateRoomRequest("r", null, null, null, null,
                List.of(new RoomService.ParticipantInput("alice", "Alice", null), new RoomService.ParticipantInput("bob", "Bob", null))))
                .room().summary().id();
    }

    @Test
    void withoutAMediaServer_everyCallRouteIs503CallsUnavailable_andChatWorks() {
        List<Runnable> routes = List.of(
                () -> calls.active(alice, roomId),
                () -> calls.start(alice, roomId, new CallService.StartRequest("audio")),
                () -> calls.accept(alice, roomId, "c1"),
                () -> calls.decline(alice, roomId, "c1"),
                () -> calls.end(alice, roomId, "c1", null),
                () -> calls.leave(alice, roomId, "c1"),
                () -> calls.token(alice, roomId, "c1"));
        for (Runnable route : routes) {
            ApiException e = assertThrows(ApiException.class, route::run);
            assertEquals(503, e.status());
            assertEquals("calls_unavailable", e.code());
        }
        assertEquals(Map.of(), store.calls);
        MessageService.Sent sent = services.messages.send(alice, roomId, new MessageService.SendMessageRequest(
                List.of(Map.of("type", "text", "text", "hi")), null, null, null));
        assertEquals(true, sent.created());
    }

    @Test
    void callsDisabled_isAnsweredBeforeTheMissingMediaServer() {
        services.settings.patch(Caller.apiKey("t1", "key1"), Map.of("calls", Map.of("enabled", false)));
        ApiException e = assertThrows(ApiException.class, () -> calls.start(alice, roomId, null));
        assertEquals("calls_disabled", e.code());
        assertEquals(403, e.status());
    }

    /** A configured media server that only records the rooms it was asked to delete. */
    private static final class Media implements MediaServer {
        final List<String> deleted = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public boolean configured() {
            return true;
        }

        @Override
        public Credentials credentials(String room, String userId, String name, int ttlSeconds) {
            return new Credentials("wss://media.test", "token-" + userId, "2026-01-01T00:10:00Z");
        }

        @Override
        public void deleteRoom(String room) {
            deleted.add(room);
        }

        @Override
        public Optional<RoomEvent> receive(String body, String authorization) {
            return Optional.empty();
        }
    }

    /** Calls in memory with the repository's compare-and-set; {@code stopAfterWrite}: the function dies right after a write. */
    private static final class MemoryCalls implements CallRepository {
        final Map<String, Call> calls = new ConcurrentHashMap<>();
        volatile boolean stopAfterWrite;

        @Override
        public Optional<Call> find(String tenantId, String roomId, String callId) {
            return Optional.ofNullable(calls.get(callId));
        }

        @Override
        public Optional<Call> active(String tenantId, String roomId) {
            return calls.values().stream().filter(c -> c.roomId().equals(roomId) && !c.finished()).findFirst();
        }

        @Override
        public synchronized boolean create(String tenantId, Call call) {
            return active(tenantId, call.roomId()).isEmpty() && calls.putIfAbsent(call.id(), call) == null;
        }

        @Override
        public synchronized boolean replace(String tenantId, Call before, Call after) {
            if (!calls.replace(before.id(), before, after)) {
                return false;
            }
            if (stopAfterWrite) {
                throw new IllegalStateException("the function stopped right after the write");
            }
            return true;
        }

        @Override
        public Optional<MediaRoomCall> byMediaRoom(String livekitRoomName) {
            return Optional.empty();
        }
    }

    private CallService withMedia(MemoryCalls store, Media media, List<CallTimers.CallRef> timers) {
        return new CallService(store, services.store.roomRepository, services.store.userRepository, media,
                (ref, delay) -> timers.add(ref), services.settings, services.publisher, services.messages);
    }

    private List<String> callRecords(String room) {
        return services.messages.list(alice, room, null, null, null, null).messages().stream()
                .filter(m -> m.parts().stream().anyMatch(part -> "data-call".equals(part.get("type")))).map(m -> m.id()).toList();
    }

    @Test
    void aGroupCallEndedByAFunctionThatStoppedRightAfterTheWrite_stillGetsItsHistory_fromTheCleanUpCheck() {
        String group = services.rooms.create(Caller.apiKey("t1", "key1"), new RoomService.CreateRoomRequest("g", null, null, null, null,
                List.of(new RoomService.ParticipantInput("alice", "Alice", null), new RoomService.ParticipantInput("bob", "Bob", null),
                        new RoomService.ParticipantInput("carol", "Carol", null)))).room().summary().id();
        MemoryCalls store = new MemoryCalls();
        Media media = new Media();
        List<CallTimers.CallRef> timers = new java.util.concurrent.CopyOnWriteArrayList<>();
        CallService service = withMedia(store, media, timers);
        Call call = service.start(alice, group, new CallService.StartRequest("audio")).call();
        assertEquals(List.of(), timers, "a group call has no ring timer");

        store.stopAfterWrite = true;
        assertThrows(IllegalStateException.class, () -> service.end(alice, group, call.id(), null));
        store.stopAfterWrite = false;
        assertEquals(true, store.calls.get(call.id()).finished());
        assertEquals(List.of(), callRecords(group), "the history was not written before the function stopped");
        assertEquals(List.of(CallTimers.CallRef.cleanUp("t1", group, call.id())), timers);

        service.timerDue(timers.get(0));
        assertEquals(1, callRecords(group).size());
        assertEquals(List.of(call.livekitRoomName()), media.deleted);
        service.timerDue(timers.get(0)); // a second delivery of the check writes no second record
        assertEquals(1, callRecords(group).size());
    }

    @Test
    void aCleanUpCheck_neverEndsACallThatIsNotOver_theRingTimeoutDoes() {
        MemoryCalls store = new MemoryCalls();
        List<CallTimers.CallRef> timers = new java.util.concurrent.CopyOnWriteArrayList<>();
        CallService service = withMedia(store, new Media(), timers);
        Call call = service.start(alice, roomId, new CallService.StartRequest("audio")).call();
        assertEquals(List.of(CallTimers.CallRef.ringTimeout("t1", roomId, call.id())), timers);

        service.timerDue(CallTimers.CallRef.cleanUp("t1", roomId, call.id()));
        assertEquals(Call.RINGING, store.calls.get(call.id()).status());
        service.timerDue(timers.get(0));
        assertEquals(Call.MISSED, store.calls.get(call.id()).status());
        assertEquals(1, callRecords(roomId).size());
    }

    @Test
    void aTimerQueuedBeforeCleanUpChecksExisted_readsAsARingTimeout() throws java.io.IOException {
        dev.sendsar.json.Json json = new dev.sendsar.json.Json(io.micronaut.json.JsonMapper.createDefault());
        CallTimers.CallRef ref = json.read("{\"tenantId\":\"t1\",\"roomId\":\"r\",\"callId\":\"c\"}", CallTimers.CallRef.class);
        assertEquals(CallTimers.CallRef.ringTimeout("t1", "r", "c"), ref);
    }
}
