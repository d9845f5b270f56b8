package dev.sendsar.service;

import dev.sendsar.error.ErrorCode;
import dev.sendsar.domain.Caller;
import dev.sendsar.domain.Member;
import dev.sendsar.domain.RateLimitedAction;
import dev.sendsar.domain.Message;
import dev.sendsar.domain.Room;
import dev.sendsar.domain.Times;
import dev.sendsar.error.ApiException;
import dev.sendsar.error.Violations;
import dev.sendsar.ports.MessageRepository;
import dev.sendsar.ports.RoomRepository;
import dev.sendsar.settings.TenantSettingsService;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** What happens to a message after it is sent: edit, delete, reactions, pins, forwards. */
@Singleton
public class MessageActionService {
    static final int MAX_FORWARD_TARGETS = 10;
    /** What one message can grow to: reactions are stored in the message, so they are bounded like its parts. */
    static final int MAX_REACTIONS = 1_000;
    static final int MAX_DISTINCT_EMOJI = 50;
    static final int MAX_EMOJI_CHARS = 32;

    @Serdeable
    public record EditRequest(List<Map<String, Object>> parts) {
    }

    @Serdeable
    public record ReactionRequest(String emoji, String userId) {
    }

    @Serdeable
    public record ForwardRequest(List<String> targetRoomIds, String senderId) {
    }

    @Serdeable
    public record MessageList(List<Message> messages) {
    }

    private final RoomRepository rooms;
    private final MessageRepository messages;
    private final MessageService messageService;
    private final RealtimePublisher publisher;
    private final TenantSettingsService settings;
    private final UploadService uploads;
    private final RateLimitService rateLimits;

    public MessageActionService(RoomRepository rooms, MessageRepository messages, MessageService messageService,
                                RealtimePublisher publisher, TenantSettingsService settings, UploadService uploads,
                                RateLimitService rateLimits) {
        this.rooms = rooms;
        this.messages = messages;
        this.messageService = messageService;
        this.publisher = publisher;
        this.settings = settings;
        this.uploads = uploads;
        this.rateLimits = rateLimits;
    }

    /**
     * Full replacement of the parts: the sender, or the server with its API key. The new parts pass the checks a send
     * does, with the message's sender as the one sharing its files.
     */
    public Message edit(Caller caller, String roomId, String messageId, EditRequest request) {
        if (request == null) {
            throw ApiException.missingBody();
        }
        rateLimits.check(caller, caller.userId(), RateLimitedAction.MESSAGE_ACTION);
        List<Map<String, Object>> parts = MessageService.withoutServerFields(request.parts());
        messageService.validate(new MessageService.SendMessageRequest(parts, null, null, null));
        Target target = target(caller, roomId, messageId, caller.userId());
        Message original = target.message();
        if (caller.isUser() && !original.senderId().equals(caller.userId())) {
            throw new ApiException(ErrorCode.NOT_MESSAGE_SENDER, "Only the sender can edit a message");
        }
        if (original.forwardedFromId() != null) {
            throw new ApiException(ErrorCode.MESSAGE_FORWARDED, "A forwarded message cannot be edited: it quotes its original sender");
        }
        uploads.checkShareable(caller.tenantId(), original.senderId(), parts);
        return change(caller, target, m -> {
            if (m.deletedAt() != null) {
                throw new ApiException(ErrorCode.MESSAGE_DELETED, "A deleted message cannot be edited");
            }
            if (m.parts().equals(parts)) {
                return m;
            }
            Message edited = new Message(m.id(), m.roomId(), m.seq(), m.senderId(), parts, MessageService.previewOf(parts),
                    m.clientMessageId(), m.createdAt(), Times.now(), null, false, m.reactions(), m.parentMessageId(),
                    m.parentMessage(), m.pinnedAt(), m.pinnedBy(), m.forwardedFromId(), m.forwardedFromSenderId());
            if (!messageService.fitsAnEvent(edited)) {
                throw new ApiException(ErrorCode.MESSAGE_TOO_LARGE, "With its reactions, the edited message would be too large");
            }
            return edited;
        }, () -> messageService.shareFiles(caller.tenantId(), roomId, parts));
    }

    /** Soft delete: the parts go, the seq stays. The sender, an operator of the room, or the API key. */
    public Message delete(Caller caller, String roomId, String messageId) {
        rateLimits.check(caller, caller.userId(), RateLimitedAction.MESSAGE_ACTION);
        Target target = target(caller, roomId, messageId, caller.userId());
        if (caller.isUser() && !target.message().senderId().equals(caller.userId()) && !target.member().isOperator()) {
            throw new ApiException(ErrorCode.NOT_ALLOWED, "Only the sender or an operator can delete a message");
        }
        boolean hidden = !settings.settings(caller.tenantId()).chat().deletedShownAsPlaceholder();
        return change(caller, target, m -> m.deletedAt() != null ? m
                : new Message(m.id(), m.roomId(), m.seq(), m.senderId(), List.of(), "", m.clientMessageId(), m.createdAt(),
                m.editedAt(), Times.now(), hidden, List.of(), m.parentMessageId(), m.parentMessage(), null, null,
                m.forwardedFromId(), m.forwardedFromSenderId()));
    }

    /** Toggles the acting user's reaction: one entry per user and emoji. */
    public Message react(Caller caller, String roomId, String messageId, ReactionRequest request) {
        if (request == null) {
            throw ApiException.missingBody();
        }
        String userId = caller.requireActingAs(request.userId(), "userId");
        rateLimits.check(caller, userId, RateLimitedAction.MESSAGE_ACTION);
        new Violations().check(request.emoji() != null && !request.emoji().isBlank() && request.emoji().length() <= MAX_EMOJI_CHARS
                        && request.emoji().chars().noneMatch(Character::isISOControl),
                "emoji", "must be 1 to " + MAX_EMOJI_CHARS + " characters, no control characters").throwIfAny();
        Target target = target(caller, roomId, messageId, userId);
        return change(caller, target, m -> {
            if (m.deletedAt() != null) {
                throw new ApiException(ErrorCode.MESSAGE_DELETED, "A deleted message cannot get reactions");
            }
            List<Message.Reaction> reactions = new ArrayList<>(m.reactions());
            Message.Reaction mine = new Message.Reaction(userId, request.emoji());
            boolean adding = !reactions.remove(mine);
            if (adding) {
                reactions.add(mine);
            }
            Message reacted = new Message(m.id(), m.roomId(), m.seq(), m.senderId(), m.parts(), m.previewText(), m.clientMessageId(),
                    m.createdAt(), m.editedAt(), m.deletedAt(), m.deletedHidden(), List.copyOf(reactions), m.parentMessageId(),
                    m.parentMessage(), m.pinnedAt(), m.pinnedBy(), m.forwardedFromId(), m.forwardedFromSenderId());
            if (adding && (reactions.size() > MAX_REACTIONS
                    || reactions.stream().map(Message.Reaction::emoji).distinct().count() > MAX_DISTINCT_EMOJI
                    || !messageService.fitsAnEvent(reacted))) {
                throw new ApiException(ErrorCode.TOO_MANY_REACTIONS, "This message has as many reactions as it can hold (at most "
                        + MAX_REACTIONS + ", " + MAX_DISTINCT_EMOJI + " different emoji)");
            }
            return reacted;
        });
    }

    /** Pins or unpins; both are idempotent. {@code userId} names the acting user for an API key. */
    public Message pin(Caller caller, String roomId, String messageId, String userId, boolean pinned) {
        String actor = caller.actingAs(userId);
        rateLimits.check(caller, actor, RateLimitedAction.MESSAGE_ACTION);
        Target target = target(caller, roomId, messageId, actor);
        return change(caller, target, m -> {
            if (pinned == (m.pinnedAt() != null)) {
                return m;
            }
            if (pinned && m.deletedAt() != null) {
                throw new ApiException(ErrorCode.MESSAGE_DELETED, "A deleted message cannot be pinned");
            }
            return new Message(m.id(), m.roomId(), m.seq(), m.senderId(), m.parts(), m.previewText(), m.clientMessageId(),
                    m.createdAt(), m.editedAt(), m.deletedAt(), m.deletedHidden(), m.reactions(), m.parentMessageId(),
                    m.parentMessage(), pinned ? Times.now() : null, pinned ? actor : null, m.forwardedFromId(),
                    m.forwardedFromSenderId());
        });
    }

    public MessageList pinned(Caller caller, String roomId, String viewerId) {
        String viewer = caller.actingAs(viewerId);
        if (viewer != null) {
            messageService.authorizedRoom(caller, roomId, viewer);
        } else {
            rooms.find(caller.tenantId(), roomId).orElseThrow(RoomService::roomNotFound);
        }
        return new MessageList(messageService.asShown(caller.tenantId(), messages.pinned(caller.tenantId(), roomId)));
    }

    /**
     * Copies a message into other rooms the acting user is in, as new messages of that user; like a send, the
     * sending device's own socket ({@code senderConnectionId}) gets no event for the copies.
     */
    public MessageList forward(Caller caller, String roomId, String messageId, ForwardRequest request, String senderConnectionId) {
        if (request == null) {
            throw ApiException.missingBody();
        }
        String senderId = caller.requireActingAs(request.senderId(), "senderId");
        new Violations().size(request.targetRoomIds(), 1, MAX_FORWARD_TARGETS, "targetRoomIds").throwIfAny();
        // a forward is a send to each target room, and counts as one
        rateLimits.check(caller, senderId, RateLimitedAction.SEND_MESSAGE, new LinkedHashSet<>(request.targetRoomIds()).size());
        Message original = target(caller, roomId, messageId, senderId).message();
        if (original.deletedAt() != null) {
            throw new ApiException(ErrorCode.MESSAGE_DELETED, "A deleted message cannot be forwarded");
        }
        if (MessageService.hasServerParts(original.parts())) {
            throw new ApiException(ErrorCode.MESSAGE_NOT_FORWARDABLE, "A membership or call record cannot be forwarded");
        }
        List<Room> targets = new ArrayList<>();
        for (String targetRoomId : new LinkedHashSet<>(request.targetRoomIds())) {
            Room room = messageService.authorizedRoom(caller, targetRoomId, senderId);
            if (room.frozen()) {
                throw new ApiException(ErrorCode.ROOM_FROZEN, "Room " + targetRoomId + " is frozen");
            }
            targets.add(room);
        }
        List<Message> copies = new ArrayList<>();
        for (Room room : targets) {
            copies.add(messageService.deliver(caller, room.id(), new MessageService.Draft(senderId, original.parts(), null, null,
                    null, original.id(), original.senderId(), false), room, senderConnectionId, null).message());
        }
        return new MessageList(copies);
    }

    private record Target(Room room, Member member, Message message) {
    }

    /** The message, if the acting user may see it (an API key with no acting user sees the whole tenant). */
    private Target target(Caller caller, String roomId, String messageId, String actingUserId) {
        Room room = actingUserId == null
                ? rooms.find(caller.tenantId(), roomId).orElseThrow(RoomService::roomNotFound)
                : messageService.authorizedRoom(caller, roomId, actingUserId);
        Member member = actingUserId == null ? null : rooms.member(caller.tenantId(), roomId, actingUserId).orElse(null);
        Message message = messages.findById(caller.tenantId(), roomId, messageId)
                .orElseThrow(() -> new ApiException(ErrorCode.MESSAGE_NOT_FOUND, "Message not found"));
        return new Target(room, member, message);
    }

    private Message change(Caller caller, Target target, UnaryOperator<Message> change) {
        return change(caller, target, change, () -> { });
    }

    /** {@code afterWrite} runs once the change is stored, before the message is shown to anyone. */
    private Message change(Caller caller, Target target, UnaryOperator<Message> change, Runnable afterWrite) {
        Message before = target.message();
        Message after = messages.update(caller.tenantId(), target.room().id(), before.seq(), change)
                .orElseThrow(() -> new ApiException(ErrorCode.MESSAGE_NOT_FOUND, "Message not found"));
        afterWrite.run();
        Message shown = messageService.asShown(caller.tenantId(), after);
        if (!after.equals(before)) {
            publisher.publish(caller.tenantId(), target.room().memberIds(), "message-updated", shown);
        }
        return shown;
    }
}
