package dev.sendsar.calls;

import dev.sendsar.error.ErrorCode;
import dev.sendsar.domain.Caller;
import dev.sendsar.domain.Ids;
import dev.sendsar.domain.Retries;
import dev.sendsar.domain.Room;
import dev.sendsar.domain.Times;
import dev.sendsar.domain.User;
import dev.sendsar.error.ApiException;
import dev.sendsar.error.FieldError;
import dev.sendsar.ports.RoomRepository;
import dev.sendsar.ports.UserRepository;
import dev.sendsar.service.MessageService;
import dev.sendsar.service.RealtimePublisher;
import dev.sendsar.service.RoomService;
import dev.sendsar.settings.TenantSettings;
import dev.sendsar.settings.TenantSettingsService;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Call signaling (API.md §3 Calls). Every state change is a compare-and-set on the stored call, so racing requests
 * (two accepts, an accept and the ring timeout, an end and a decline) have exactly one winner; only the winner tells
 * the clients and writes the call's history, and the history message is idempotent by call id besides.
 */
@Singleton
public class CallService {
    private static final Logger LOG = LoggerFactory.getLogger(CallService.class);
    /** A LiveKit token lives this long; clients refresh it through the token route. */
    public static final int TOKEN_TTL_SECONDS = 600;
    /** A change that keeps losing races to other changes of the same call gives up with 503 after this many tries. */
    static final int MAX_ATTEMPTS = 20;
    /** A clean-up that failed (LiveKit unreachable) is tried again this much later, by the call timer worker. */
    static final int CLEANUP_RETRY_SECONDS = 60;

    public static final String REASON_CANCELLED = "cancelled";
    public static final String REASON_NO_ANSWER = "no_answer";
    public static final String REASON_DECLINED = "declined";
    public static final String REASON_HANGUP = "hangup";
    public static final String REASON_EVERYONE_LEFT = "everyone_left";
    public static final String REASON_MEDIA_ENDED = "media_ended";

    @Serdeable
    public record StartRequest(@Nullable String type) {
    }

    @Serdeable
    public record EndRequest(@Nullable String reason) {
    }

    /** A call and what the caller needs to join its media room. */
    @Serdeable
    public record Session(Call call, MediaServer.Credentials livekit, int ringTimeoutSeconds) {
    }

    @Serdeable
    public record Token(MediaServer.Credentials livekit) {
    }

    /** The data of the {@code call-*} frames (API.md §5). */
    @Serdeable
    public record CallFrame(String callId, String roomId, String type, String createdByUserId, @Nullable String userId,
                            @Nullable String reason) {
    }

    private final CallRepository calls;
    private final RoomRepository rooms;
    private final UserRepository users;
    private final MediaServer media;
    private final CallTimers timers;
    private final TenantSettingsService settings;
    private final RealtimePublisher publisher;
    private final MessageService messages;

    public CallService(CallRepository calls, RoomRepository rooms, UserRepository users, MediaServer media,
                       CallTimers timers, TenantSettingsService settings, RealtimePublisher publisher,
                       MessageService messages) {
        this.calls = calls;
        this.rooms = rooms;
        this.users = users;
        this.media = media;
        this.timers = timers;
        this.settings = settings;
        this.publisher = publisher;
        this.messages = messages;
    }

    public Call active(Caller caller, String roomId) {
        Context ctx = context(caller, roomId);
        return calls.active(ctx.tenantId(), roomId)
                .orElseThrow(() -> new ApiException(ErrorCode.CALL_NOT_FOUND, "The room has no active call"));
    }

    /** Starts a call, or joins the room's active call (the callee of a ringing 1:1 call accepts it). */
    public Session start(Caller caller, String roomId, StartRequest request) {
        Context ctx = context(caller, roomId);
        String type = request == null || request.type() == null ? ctx.calls().defaultType() : request.type();
        if (!"audio".equals(type) && !"video".equals(type)) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "The request is not valid",
                    List.of(new FieldError("type", "must be audio or video")));
        }
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Optional<Call> existing = calls.active(ctx.tenantId(), roomId);
            if (existing.isPresent()) {
                Call call = existing.get();
                return call.ringing() && !call.isGroup() && !call.createdByUserId().equals(ctx.userId())
                        ? accept(caller, roomId, call.id())
                        : join(ctx, call.id());
            }
            String now = Times.now();
            boolean group = ctx.room().memberIds().size() > 2;
            String callId = Ids.uuid();
            Call call = new Call(callId, roomId, type, group ? Call.ACTIVE : Call.RINGING,
                    mediaRoomName(ctx.tenantId(), callId), ctx.userId(),
                    List.of(new Call.Participant(ctx.userId(), now, null)), group, now, group ? now : null, null, null,
                    null, 1);
            if (!group) {
                // the timer first: if the call is not stored after all, the timer finds nothing to do; the other way
                // round, a failure between the two would leave a call ringing for ever
                timers.checkLater(CallTimers.CallRef.ringTimeout(ctx.tenantId(), roomId, callId), ctx.calls().ringTimeoutSeconds());
            }
            if (calls.create(ctx.tenantId(), call)) {
                tell(ctx.tenantId(), ctx.room().memberIds().stream().filter(id -> !id.equals(ctx.userId())).toList(),
                        "call-invite", call, ctx.userId(), null);
                return session(ctx, call);
            }
            Retries.pause(attempt + 1); // another start won the room: join its call
        }
        throw busy();
    }

    public Session accept(Caller caller, String roomId, String callId) {
        Context ctx = context(caller, roomId);
        Call call = change(ctx, callId, current -> {
            if (current.finished()) {
                throw callOver();
            }
            if (current.hasPresent(ctx.userId())) {
                return current;
            }
            if (current.isGroup()) {
                return joined(ctx, current);
            }
            if (!current.ringing()) {
                // an answered 1:1 call has both its people; a third member of the room cannot take it over
                throw new ApiException(ErrorCode.CALL_ALREADY_ANSWERED, "The call was answered already");
            }
            if (current.createdByUserId().equals(ctx.userId())) {
                throw new ApiException(ErrorCode.CANNOT_ACCEPT_OWN_CALL, "The caller cannot accept its own call");
            }
            return current.answered(ctx.userId(), Times.now());
        }, (before, after) -> {
            if (before.ringing()) {
                tell(ctx.tenantId(), ctx.room().memberIds(), "call-accepted", after, ctx.userId(), null);
            }
        });
        return session(ctx, call);
    }

    /** 1:1: ends a ringing call as declined. A group call, or a call no longer ringing, is left as it is. */
    public Call decline(Caller caller, String roomId, String callId) {
        Context ctx = context(caller, roomId);
        return change(ctx, callId, current -> {
            if (current.isGroup() || !current.ringing() || current.createdByUserId().equals(ctx.userId())) {
                return current;
            }
            return current.over(Call.DECLINED, REASON_DECLINED, ctx.userId(), Times.now());
        }, (before, after) -> {
            tell(ctx.tenantId(), ctx.room().memberIds(), "call-declined", after, ctx.userId(), REASON_DECLINED);
            finished(ctx.tenantId(), ctx.room(), after);
        });
    }

    /** Ends the call for everyone: a 1:1 participant, or the creator of a group call. */
    public Call end(Caller caller, String roomId, String callId, EndRequest request) {
        Context ctx = context(caller, roomId);
        String reason = request == null ? null : request.reason();
        if (reason != null && !REASON_CANCELLED.equals(reason) && !REASON_NO_ANSWER.equals(reason)) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "The request is not valid",
                    List.of(new FieldError("reason", "must be cancelled or no_answer")));
        }
        return change(ctx, callId, current -> {
            if (current.finished()) {
                return current;
            }
            if (current.isGroup() && !current.createdByUserId().equals(ctx.userId())) {
                throw new ApiException(ErrorCode.NOT_CALL_CREATOR, "Only the call's creator ends a group call; leave it instead");
            }
            return ended(current, reason, ctx.userId());
        }, (before, after) -> {
            tell(ctx.tenantId(), ctx.room().memberIds(), "call-ended", after, ctx.userId(), after.endReason());
            finished(ctx.tenantId(), ctx.room(), after);
        });
    }

    /** Leaves a group call without ending it for the others (the last one out ends it); a 1:1 call just ends. */
    public Call leave(Caller caller, String roomId, String callId) {
        Context ctx = context(caller, roomId);
        return change(ctx, callId, current -> {
            if (current.finished()) {
                return current;
            }
            if (!current.isGroup()) {
                return ended(current, null, ctx.userId());
            }
            if (!current.hasPresent(ctx.userId())) {
                return current;
            }
            Call left = current.leftBy(ctx.userId(), Times.now());
            return left.presentCount() == 0 ? left.over(Call.ENDED, REASON_EVERYONE_LEFT, ctx.userId(), Times.now()) : left;
        }, (before, after) -> {
            if (after.finished()) {
                tell(ctx.tenantId(), ctx.room().memberIds(), "call-ended", after, ctx.userId(), after.endReason());
                finished(ctx.tenantId(), ctx.room(), after);
            }
        });
    }

    /** A fresh media token for a participant of a call that is not over. */
    public Token token(Caller caller, String roomId, String callId) {
        Context ctx = context(caller, roomId);
        Call call = calls.find(ctx.tenantId(), roomId, callId).orElseThrow(CallService::callNotFound);
        if (call.finished()) {
            throw callOver();
        }
        if (!call.hasPresent(ctx.userId())) {
            throw new ApiException(ErrorCode.NOT_IN_CALL, "Join the call before asking for a token");
        }
        return new Token(credentials(ctx, call));
    }

    /**
     * The ring timeout of a 1:1 call (the call timer worker): a call still ringing is missed. A finished call gets
     * its clean-up again (the history message is idempotent; deleting a deleted media room is harmless), which is
     * how a clean-up that failed is retried. Throws when a clean-up step failed, so the message comes back.
     */
    public void timerDue(CallTimers.CallRef ref) {
        Optional<Room> room = rooms.find(ref.tenantId(), ref.roomId());
        if (room.isEmpty()) {
            return;
        }
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Optional<Call> stored = calls.find(ref.tenantId(), ref.roomId(), ref.callId());
            if (stored.isEmpty()) {
                return; // the start failed after its timer was set
            }
            Call call = stored.get();
            if (call.finished()) {
                if (!cleanUp(ref.tenantId(), room.get(), call)) {
                    throw new IllegalStateException("The clean-up of call " + call.id() + " is not complete yet");
                }
                return;
            }
            if (ref.cleanUpOnly() || !call.ringing()) {
                return; // answered in time, or a check of a final change that was not written after all
            }
            Call missed = call.over(Call.MISSED, REASON_NO_ANSWER, null, Times.now());
            if (calls.replace(ref.tenantId(), call, missed)) {
                tell(ref.tenantId(), room.get().memberIds(), "call-ended", missed, null, REASON_NO_ANSWER);
                finished(ref.tenantId(), room.get(), missed);
                return;
            }
            Retries.pause(attempt + 1);
        }
        throw new IllegalStateException("Call " + ref.callId() + " kept changing under its ring timeout");
    }

    /**
     * LiveKit's webhook: a media room that finished (or that its last participant left) ends its call, so a call whose
     * apps crashed does not stay active for ever.
     */
    public void mediaEvent(MediaServer.RoomEvent event) {
        boolean over = MediaServer.RoomEvent.ROOM_FINISHED.equals(event.kind())
                || (MediaServer.RoomEvent.PARTICIPANT_LEFT.equals(event.kind()) && event.participantsLeft() <= 0);
        if (!over) {
            return;
        }
        Optional<CallRepository.MediaRoomCall> where = calls.byMediaRoom(event.livekitRoomName());
        if (where.isEmpty()) {
            return; // not ours, or its call is over already
        }
        CallRepository.MediaRoomCall ref = where.get();
        Room room = rooms.find(ref.tenantId(), ref.roomId()).orElse(null);
        if (room == null) {
            return;
        }
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Optional<Call> stored = calls.find(ref.tenantId(), ref.roomId(), ref.callId());
            if (stored.isEmpty() || stored.get().finished()) {
                return;
            }
            Call call = stored.get();
            Call ended = call.over(Call.ENDED, call.ringing() ? REASON_CANCELLED : REASON_MEDIA_ENDED, null, Times.now());
            if (store(ref.tenantId(), call, ended)) {
                tell(ref.tenantId(), room.memberIds(), "call-ended", ended, null, ended.endReason());
                finished(ref.tenantId(), room, ended);
                return;
            }
            Retries.pause(attempt + 1);
        }
        throw busy();
    }

    public static String mediaRoomName(String tenantId, String callId) {
        return "sendsar-" + tenantId + "-" + callId;
    }

    // --- internals

    private record Context(String tenantId, String userId, Room room, TenantSettings.Calls calls) {
    }

    /**
     * Who may use call routes: a session token (calls are per user), in a tenant with calls on and a media server
     * configured, for a room the user is in (else the 404 of a room it cannot see).
     */
    private Context context(Caller caller, String roomId) {
        TenantSettings.Calls callSettings = settings.settings(caller.tenantId()).calls();
        if (!callSettings.enabled()) {
            throw new ApiException(ErrorCode.CALLS_DISABLED, "Calls are disabled for this account");
        }
        if (!media.configured()) {
            throw new ApiException(ErrorCode.CALLS_UNAVAILABLE, "Calls are unavailable: no media server is configured");
        }
        Room room = rooms.find(caller.tenantId(), roomId).filter(r -> r.hasMember(caller.userId()))
                .orElseThrow(RoomService::roomNotFound);
        return new Context(caller.tenantId(), caller.userId(), room, callSettings);
    }

    /** Whoever joins a group call counts against {@code calls.maxParticipants}; past it: 409 {@code call_full}. */
    private Call joined(Context ctx, Call current) {
        if (current.presentCount() >= ctx.calls().maxParticipants()) {
            throw new ApiException(ErrorCode.CALL_FULL, "The call has its maximum number of participants");
        }
        return current.joinedBy(ctx.userId(), Times.now());
    }

    private Session join(Context ctx, String callId) {
        Call call = change(ctx, callId, current -> {
            if (current.finished()) {
                throw callOver();
            }
            if (current.hasPresent(ctx.userId())) {
                return current;
            }
            if (!current.isGroup()) {
                throw new ApiException(ErrorCode.CALL_ALREADY_ANSWERED, "The room's call is in progress");
            }
            return joined(ctx, current);
        }, (before, after) -> { });
        return session(ctx, call);
    }

    private static Call ended(Call current, String reason, String byUserId) {
        String now = Times.now();
        if (current.ringing()) {
            return REASON_NO_ANSWER.equals(reason)
                    ? current.over(Call.MISSED, REASON_NO_ANSWER, byUserId, now)
                    : current.over(Call.ENDED, REASON_CANCELLED, byUserId, now);
        }
        return current.over(Call.ENDED, REASON_HANGUP, byUserId, now);
    }

    /**
     * Applies {@code change} to the stored call until it is written over the version it was computed from; an
     * unchanged result writes nothing. {@code won} runs only for the request whose change was written.
     */
    private Call change(Context ctx, String callId, Function<Call, Call> change, java.util.function.BiConsumer<Call, Call> won) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Call current = calls.find(ctx.tenantId(), ctx.room().id(), callId).orElseThrow(CallService::callNotFound);
            Call next = change.apply(current);
            if (next == current) {
                return current;
            }
            if (store(ctx.tenantId(), current, next)) {
                won.accept(current, next);
                return next;
            }
            Retries.pause(attempt + 1);
        }
        throw busy();
    }

    /**
     * Writes {@code next} over {@code current}. A change that ends the call first queues a check of its clean-up: the
     * history message and the media room's deletion follow the write in the same request, and a function stopped
     * between the two would otherwise leave the call without history for ever (the ring timer of a 1:1 call is spent
     * once it is answered, and a group call has none). The check finds the history written and the room gone, or does
     * what is left; if the write loses to another change, it finds nothing to do.
     */
    private boolean store(String tenantId, Call current, Call next) {
        if (next.finished() && !current.finished()) {
            timers.checkLater(CallTimers.CallRef.cleanUp(tenantId, next.roomId(), next.id()), CLEANUP_RETRY_SECONDS);
        }
        return calls.replace(tenantId, current, next);
    }

    /** The call is over and stored: its history message and the media room's deletion follow. */
    private void finished(String tenantId, Room room, Call call) {
        if (!cleanUp(tenantId, room, call)) {
            try {
                timers.checkLater(CallTimers.CallRef.cleanUp(tenantId, room.id(), call.id()), CLEANUP_RETRY_SECONDS);
            } catch (RuntimeException e) {
                LOG.warn("Call {} ended; its clean-up failed and could not be scheduled again: {}", call.id(), e.toString());
            }
        }
    }

    /** Writes the call's history message (once) and deletes its media room; false when a step failed. */
    private boolean cleanUp(String tenantId, Room room, Call call) {
        boolean complete = true;
        try {
            messages.postRecord(tenantId, room, call.createdByUserId(), historyPart(call), "call:" + call.id());
        } catch (RuntimeException e) {
            LOG.warn("The history message of call {} is not written yet: {}", call.id(), e.toString());
            complete = false;
        }
        try {
            media.deleteRoom(call.livekitRoomName());
        } catch (RuntimeException e) {
            LOG.warn("The media room of call {} is not deleted yet: {}", call.id(), e.toString());
            complete = false;
        }
        return complete;
    }

    static Map<String, Object> historyPart(Call call) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("callId", call.id());
        data.put("callType", call.type());
        data.put("outcome", call.outcome());
        data.put("initiatedByUserId", call.createdByUserId());
        data.put("isGroup", call.isGroup());
        if (call.durationSeconds() != null) {
            data.put("durationSeconds", call.durationSeconds());
        }
        Map<String, Object> part = new LinkedHashMap<>();
        part.put("type", "data-call");
        part.put("data", data);
        return part;
    }

    private void tell(String tenantId, List<String> userIds, String event, Call call, String userId, String reason) {
        try {
            publisher.publish(tenantId, userIds, event,
                    new CallFrame(call.id(), call.roomId(), call.type(), call.createdByUserId(), userId, reason));
        } catch (RuntimeException e) {
            LOG.warn("{} of call {} was not delivered: {}", event, call.id(), e.toString());
        }
    }

    private Session session(Context ctx, Call call) {
        return new Session(call, credentials(ctx, call), ctx.calls().ringTimeoutSeconds());
    }

    private MediaServer.Credentials credentials(Context ctx, Call call) {
        String name = users.find(ctx.tenantId(), ctx.userId()).map(User::username).orElse(null);
        return media.credentials(call.livekitRoomName(), ctx.userId(), name, TOKEN_TTL_SECONDS);
    }

    static ApiException callNotFound() {
        return new ApiException(ErrorCode.CALL_NOT_FOUND, "No such call in this room");
    }

    private static ApiException callOver() {
        return new ApiException(ErrorCode.CALL_ENDED, "The call is over");
    }

    private static ApiException busy() {
        return Retries.busy(ErrorCode.CALL_BUSY, "The call is changing too fast right now; retry");
    }
}
