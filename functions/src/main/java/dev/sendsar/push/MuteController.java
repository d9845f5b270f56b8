package dev.sendsar.push;

import dev.sendsar.domain.Caller;
import dev.sendsar.functions.lambda.FunctionRoute;
import dev.sendsar.functions.rest.ApiErrors;
import dev.sendsar.functions.security.Roles;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.security.annotation.Secured;

/** A room's pushes muted for the caller (J), or for the user an API key names ({@code userId}). */
@ApiErrors.Standard
@Requires(condition = FunctionRoute.class)
@Controller("/v1/chat/rooms/{roomId}/mute")
public class MuteController {
    private final MuteService mutes;

    public MuteController(MuteService mutes) {
        this.mutes = mutes;
    }

    @Put
    @Secured({Roles.API_KEY, Roles.USER})
    public MuteService.MuteState mute(Caller caller, String roomId, @Nullable @Body MuteService.MuteRequest request) {
        return mutes.mute(caller, roomId, request);
    }

    @Delete
    @Secured({Roles.API_KEY, Roles.USER})
    public HttpResponse<Void> unmute(Caller caller, String roomId, @Nullable @QueryValue String userId) {
        mutes.unmute(caller, roomId, userId);
        return HttpResponse.noContent();
    }
}
