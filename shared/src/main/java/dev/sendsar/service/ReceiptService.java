package dev.sendsar.service;

import dev.sendsar.error.ErrorCode;
import dev.sendsar.domain.Caller;
import dev.sendsar.domain.Member;
import dev.sendsar.domain.Message;
import dev.sendsar.domain.RateLimitedAction;
import dev.sendsar.domain.Room;
import dev.sendsar.domain.Times;
import dev.sendsar.error.ApiException;
import dev.sendsar.error.FieldError;
import dev.sendsar.ports.MessageRepository;
import dev.sendsar.ports.RoomRepository;
import dev.sendsar.ports.RoomRepository.Cursor;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Read and delivery receipts. A cursor only moves forward; every move tells the room ({@code room-read} /
 * {@code room-delivered}), so all of a user's devices and the other participants agree.
 */
@Singleton
public class ReceiptService {

    @Serdeable
    public record ReadRequest(String lastReadMessageId, String userId) {
    }

    @Serdeable
    public record DeliveredRequest(String lastDeliveredMessageId, String userId) {
    }

    private final RoomRepository rooms;
    private final MessageRepository messages;
    private final MessageService messageService;
    private final RealtimePublisher publisher;
    private final RateLimitService rateLimits;

    public ReceiptService(RoomRepository rooms, MessageRepository messages, MessageService messageService,
                          RealtimePublisher publisher, RateLimitService rateLimits) {
        this.rooms = rooms;
        this.messages = messages;
        this.messageService = messageService;
        this.publisher = publisher;
        this.rateLimits = rateLimits;
    }

    public Map<String, Object> read(Caller caller, String roomId, ReadRequest request) {
        if (request == null) {
            throw ApiException.missingBody();
        }
        return move(caller, roomId, request.userId(), request.lastReadMessageId(), "lastReadMessageId", Cursor.READ);
    }

    public Map<String, Object> delivered(Caller caller, String roomId, DeliveredRequest request) {
        if (request == null) {
            throw ApiException.missingBody();
        }
        return move(caller, roomId, request.userId(), request.lastDeliveredMessageId(), "lastDeliveredMessageId", Cursor.DELIVERED);
    }

    private Map<String, Object> move(Caller caller, String roomId, String requestedUser, String messageId, String field, Cursor cursor) {
        String userId = caller.requireActingAs(requestedUser, "userId");
        rateLimits.check(caller, userId, RateLimitedAction.RECEIPT);
        if (messageId == null || messageId.isBlank()) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "The request is not valid", List.of(new FieldError(field, "must not be blank")));
        }
        Room room = messageService.authorizedRoom(caller, roomId, userId);
        Message message = messages.findById(caller.tenantId(), roomId, messageId)
                .orElseThrow(() -> new ApiException(ErrorCode.MESSAGE_NOT_FOUND, "Message not found"));
        // read state as everyone sees it: a receipt behind one's own last message leaves that message read
        Member before = rooms.member(caller.tenantId(), roomId, userId).orElseThrow(() -> MessageService.notParticipant(caller))
                .readIn(room);
        Member after = rooms.advanceCursor(caller.tenantId(), roomId, userId, cursor, message.seq(), message.id(), Times.now())
                .orElseThrow(() -> MessageService.notParticipant(caller)).readIn(room);
        boolean moved = cursor == Cursor.READ ? after.lastReadSeq() > before.lastReadSeq()
                : after.lastDeliveredSeq() > before.lastDeliveredSeq();
        Map<String, Object> event = event(roomId, after, cursor);
        if (moved) {
            publisher.publish(caller.tenantId(), room.memberIds(), cursor == Cursor.READ ? "room-read" : "room-delivered", event);
        }
        Map<String, Object> response = new LinkedHashMap<>(event);
        response.put("unreadCount", Math.max(0, room.lastSeq() - after.lastReadSeq()));
        return response;
    }

    private static Map<String, Object> event(String roomId, Member m, Cursor cursor) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("roomId", roomId);
        data.put("userId", m.userId());
        if (cursor == Cursor.READ) {
            data.put("lastReadAt", m.lastReadAt());
            data.put("lastReadMessageId", m.lastReadMessageId());
            data.put("lastReadSeq", m.lastReadSeq());
        } else {
            data.put("lastDeliveredAt", m.lastDeliveredAt());
            data.put("lastDeliveredMessageId", m.lastDeliveredMessageId());
            data.put("lastDeliveredSeq", m.lastDeliveredSeq());
        }
        return data;
    }
}
