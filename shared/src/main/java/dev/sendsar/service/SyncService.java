package dev.sendsar.service;

import dev.sendsar.error.ErrorCode;
import dev.sendsar.domain.Caller;
import dev.sendsar.domain.Member;
import dev.sendsar.domain.Message;
import dev.sendsar.domain.Room;
import dev.sendsar.error.FieldError;
import dev.sendsar.error.ApiException;
import dev.sendsar.json.Json;
import dev.sendsar.ports.MessageRepository;
import dev.sendsar.ports.RoomRepository;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gap recovery after a reconnect: for each room the client names with the last seq it has, the messages after it,
 * oldest first. A room with more than a page says {@code hasMore}; the client pages on with {@code afterSeq}. The
 * whole answer holds at most {@link #MAX_RESPONSE_BYTES} of messages (a Lambda answer is at most 6 MB): the rooms
 * past that say {@code hasMore} with the messages that still fit, none at all once it is spent.
 */
@Singleton
public class SyncService {
    static final int MAX_ROOMS = 100;
    static final int PER_ROOM = 100;
    static final long MAX_RESPONSE_BYTES = 4L * 1024 * 1024;

    @Serdeable
    public record RoomSync(String roomId, List<Message> messages, boolean hasMore) {
    }

    @Serdeable
    public record SyncResult(List<RoomSync> rooms, long unreadTotal) {
    }

    private final RoomRepository rooms;
    private final MessageRepository messages;
    private final RealtimeService realtime;
    private final MessageService messageService;
    private final Json json;

    public SyncService(RoomRepository rooms, MessageRepository messages, RealtimeService realtime, MessageService messageService,
                       Json json) {
        this.rooms = rooms;
        this.messages = messages;
        this.realtime = realtime;
        this.messageService = messageService;
        this.json = json;
    }

    /** {@code since} = {@code roomId:seq,roomId:seq…}; rooms the user is not in are left out, as if unknown. */
    public SyncResult sync(Caller caller, String since) {
        Map<String, Long> positions = parse(since);
        String tenantId = caller.tenantId();
        Map<String, Room> found = rooms.findAll(tenantId, positions.keySet());
        List<RoomSync> result = new ArrayList<>();
        long budget = MAX_RESPONSE_BYTES;
        for (Map.Entry<String, Long> position : positions.entrySet()) {
            Room room = found.get(position.getKey());
            Member me = room == null ? null : rooms.member(tenantId, room.id(), caller.userId()).orElse(null);
            if (me == null) {
                continue;
            }
            if (budget <= 0) {
                result.add(new RoomSync(room.id(), List.of(), true));
                continue;
            }
            long cleared = me.clearedThroughSeq();
            MessageRepository.Slice page = messages.after(tenantId, room.id(), Math.max(position.getValue(), cleared), PER_ROOM);
            List<Message> fitting = new ArrayList<>();
            for (Message shown : messageService.asShown(tenantId, page.messages())) {
                long size = json.write(shown).getBytes(StandardCharsets.UTF_8).length;
                if (size > budget) {
                    budget = 0;
                    break;
                }
                budget -= size;
                fitting.add(shown);
            }
            result.add(new RoomSync(room.id(), fitting, page.more() || fitting.size() < page.messages().size()));
        }
        return new SyncResult(result, realtime.unreadTotal(tenantId, caller.userId()));
    }

    private static Map<String, Long> parse(String since) {
        Map<String, Long> positions = new LinkedHashMap<>();
        if (since == null || since.isBlank()) {
            return positions;
        }
        String[] entries = since.split(",");
        if (entries.length > MAX_ROOMS) {
            throw invalid("at most " + MAX_ROOMS + " rooms");
        }
        for (String entry : entries) {
            int colon = entry.lastIndexOf(':');
            try {
                long seq = Long.parseLong(entry.substring(colon + 1).trim());
                if (colon <= 0 || seq < 0) {
                    throw invalid("must be roomId:seq,roomId:seq…");
                }
                positions.put(entry.substring(0, colon).trim(), seq);
            } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
                throw invalid("must be roomId:seq,roomId:seq…");
            }
        }
        return positions;
    }

    private static ApiException invalid(String message) {
        return new ApiException(ErrorCode.VALIDATION_FAILED, "The request is not valid", List.of(new FieldError("since", message)));
    }
}
