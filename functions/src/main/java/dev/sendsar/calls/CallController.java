package dev.sendsar.calls;

import dev.sendsar.domain.Caller;
import dev.sendsar.functions.lambda.FunctionRoute;
import dev.sendsar.functions.rest.ApiErrors;
import dev.sendsar.functions.security.Roles;
import io.micronaut.context.annotation.Requires;
import io.micronaut.security.annotation.Secured;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;

/**
 * Call signaling (session token only): each route is its own function. 403 {@code calls_disabled} when the tenant
 * turned calls off, 503 {@code calls_unavailable} without a media server, 409 {@code call_full} past
 * {@code calls.maxParticipants}.
 */
@ApiErrors.Standard
@ApiErrors.NotFound
@ApiErrors.Conflict
@Secured(Roles.USER)
@Requires(condition = FunctionRoute.class)
@Controller("/v1/chat/rooms/{roomId}/calls")
public class CallController {
    private final CallService calls;

    public CallController(CallService calls) {
        this.calls = calls;
    }

    @Get("/active")
    public Call active(Caller caller, String roomId) {
        return calls.active(caller, roomId);
    }

    /** Starts a call, or joins the room's active one. */
    @Post
    public CallService.Session start(Caller caller, String roomId, @Nullable @Body CallService.StartRequest request) {
        return calls.start(caller, roomId, request);
    }

    @Post("/{callId}/accept")
    public CallService.Session accept(Caller caller, String roomId, String callId) {
        return calls.accept(caller, roomId, callId);
    }

    @Post("/{callId}/decline")
    public Call decline(Caller caller, String roomId, String callId) {
        return calls.decline(caller, roomId, callId);
    }

    @Post("/{callId}/end")
    public Call end(Caller caller, String roomId, String callId, @Nullable @Body CallService.EndRequest request) {
        return calls.end(caller, roomId, callId, request);
    }

    @Post("/{callId}/leave")
    public Call leave(Caller caller, String roomId, String callId) {
        return calls.leave(caller, roomId, callId);
    }

    @Post("/{callId}/token")
    public CallService.Token token(Caller caller, String roomId, String callId) {
        return calls.token(caller, roomId, callId);
    }
}
