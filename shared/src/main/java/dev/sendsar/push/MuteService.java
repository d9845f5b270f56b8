package dev.sendsar.push;

import dev.sendsar.domain.Caller;
import dev.sendsar.domain.Member;
import dev.sendsar.domain.RateLimitedAction;
import dev.sendsar.domain.Times;
import dev.sendsar.error.Violations;
import dev.sendsar.ports.RoomRepository;
import dev.sendsar.service.MessageService;
import dev.sendsar.service.RateLimitService;
import dev.sendsar.service.RoomService;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Muting a room's pushes for oneself ({@code PUT/DELETE /chat/rooms/{roomId}/mute}). */
@Singleton
public class MuteService {

    /** {@code until} absent: muted until unmuted. {@code userId}: the user an API key acts as. */
    @Serdeable
    public record MuteRequest(String until, String userId) {
    }

    @Serdeable
    public record MuteState(String roomId, String mutedUntil) {
    }

    private final RoomRepository rooms;
    private final RateLimitService rateLimits;

    public MuteService(RoomRepository rooms, RateLimitService rateLimits) {
        this.rooms = rooms;
        this.rateLimits = rateLimits;
    }

    public MuteState mute(Caller caller, String roomId, MuteRequest request) {
        MuteRequest r = request == null ? new MuteRequest(null, null) : request;
        String userId = caller.requireActingAs(r.userId(), "userId");
        rateLimits.check(caller, userId, RateLimitedAction.OTHER_WRITE);
        String until = Member.MUTED_FOREVER;
        if (r.until() != null) {
            Instant at = null;
            try {
                at = Instant.parse(r.until());
            } catch (DateTimeParseException e) {
                // reported below
            }
            new Violations().check(at != null && at.isAfter(Instant.now()) && at.toString().compareTo(Member.MUTED_FOREVER) < 0,
                    "until", "must be an ISO-8601 UTC time in the future").throwIfAny();
            until = Times.format(at);
        }
        Member member = member(caller, roomId, userId);
        rooms.saveMember(caller.tenantId(), member.withMutedUntil(until)).orElseThrow(() -> MessageService.notParticipant(caller));
        return new MuteState(roomId, until);
    }

    public void unmute(Caller caller, String roomId, String requestedUserId) {
        String userId = caller.requireActingAs(requestedUserId, "userId");
        rateLimits.check(caller, userId, RateLimitedAction.OTHER_WRITE);
        Member member = member(caller, roomId, userId);
        if (member.mutedUntil() != null) {
            rooms.saveMember(caller.tenantId(), member.withMutedUntil(null));
        }
    }

    private Member member(Caller caller, String roomId, String userId) {
        rooms.find(caller.tenantId(), roomId).orElseThrow(RoomService::roomNotFound);
        return rooms.member(caller.tenantId(), roomId, userId).orElseThrow(() -> MessageService.notParticipant(caller));
    }
}
