package dev.sendsar.service;

import dev.sendsar.domain.Caller;
import dev.sendsar.domain.Message;
import dev.sendsar.fakes.Services;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /sync after a long absence in rooms of large messages: one answer stays under Lambda's 6 MB, paging reaches all. */
class SyncServiceTest {
    private static final String T = "t1";
    private static final int ROOMS = 3;
    private static final int PER_ROOM = 25;
    private final Services services = new Services();
    private final SyncService sync = new SyncService(services.store.roomRepository, services.store.messageRepository,
            new RealtimeService(services.store.connectionRepository, services.store.roomRepository, services.publisher,
                    services.rateLimits), services.messages, services.json);

    @Test
    void manyRoomsOfLargeMessages_answerAtMostTheBudget_andPagingReachesEveryMessageOnce() {
        Caller server = Caller.apiKey(T, "test-key");
        Map<String, Long> since = new LinkedHashMap<>();
        String pad = "p".repeat(60 * 1024);
        for (int r = 0; r < ROOMS; r++) {
            String roomId = services.rooms.create(server, new RoomService.CreateRoomRequest("r" + r, null, null, null, null,
                    List.of(new RoomService.ParticipantInput("alice", null, null),
                            new RoomService.ParticipantInput("bob", null, null)))).room().summary().id();
            for (long seq = 1; seq <= PER_ROOM; seq++) {
                List<Map<String, Object>> parts = List.of(Map.of("type", "data-pad", "data", Map.of("pad", pad)));
                services.store.messageRepository.put(T, MessageService.Draft.of("alice", parts, null, null).at(roomId, seq, "pad"), false);
            }
            since.put(roomId, 0L);
        }
        Caller bob = Caller.user(T, "bob");
        Map<String, List<Long>> received = new LinkedHashMap<>();
        since.keySet().forEach(id -> received.put(id, new ArrayList<>()));

        SyncService.SyncResult first = sync.sync(bob, format(since));
        long firstBytes = first.rooms().stream().flatMap(r -> r.messages().stream())
                .mapToLong(m -> services.json.write(m).getBytes(StandardCharsets.UTF_8).length).sum();
        assertTrue(firstBytes <= SyncService.MAX_RESPONSE_BYTES, firstBytes + " bytes of messages in one answer");
        assertEquals(ROOMS, first.rooms().size(), "every room is answered, the ones past the budget with hasMore");
        assertTrue(first.rooms().get(ROOMS - 1).hasMore());

        SyncService.SyncResult page = first;
        for (int round = 0; round < 10 && page.rooms().stream().anyMatch(SyncService.RoomSync::hasMore); round++) {
            if (round > 0) {
                page = sync.sync(bob, format(since));
            }
            for (SyncService.RoomSync room : page.rooms()) {
                for (Message m : room.messages()) {
                    received.get(room.roomId()).add(m.seq());
                    since.put(room.roomId(), m.seq());
                }
            }
        }
        List<Long> all = LongStream.rangeClosed(1, PER_ROOM).boxed().toList();
        received.values().forEach(seqs -> assertEquals(all, seqs));
    }

    private static String format(Map<String, Long> since) {
        return since.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue()).collect(Collectors.joining(","));
    }
}
