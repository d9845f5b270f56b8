package dev.sendsar.calls;

import dev.sendsar.error.ErrorCode;
import dev.sendsar.error.ApiException;
import dev.sendsar.functions.lambda.FunctionRoute;
import dev.sendsar.functions.rest.ApiErrors;
import io.micronaut.context.annotation.Requires;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;

/**
 * LiveKit's webhooks (no caller credentials: LiveKit signs each body with the API key pair, in
 * {@code Authorization}). A media room that finished ends its call. A bad signature is 401 and changes nothing.
 */
@ApiErrors.Public
// No Sendsar credential: LiveKit signs each call (its own Authorization header), which the handler verifies.
@Secured(SecurityRule.IS_ANONYMOUS)
@Requires(condition = FunctionRoute.class)
@Controller("/v1/livekit/webhook")
public class LiveKitWebhookController {
    private final MediaServer media;
    private final CallService calls;

    public LiveKitWebhookController(MediaServer media, CallService calls) {
        this.media = media;
        this.calls = calls;
    }

    /** LiveKit sends {@code application/webhook+json}; the signature covers the raw body, so it is read as text. */
    @Post
    @Consumes(MediaType.ALL)
    public HttpResponse<Void> receive(@Nullable @Header("Authorization") String authorization, @Nullable @Body String body) {
        if (!media.configured()) {
            throw new ApiException(ErrorCode.CALLS_UNAVAILABLE, "Calls are unavailable: no media server is configured");
        }
        MediaServer.RoomEvent event;
        try {
            event = media.receive(body, authorization).orElse(null);
        } catch (SecurityException e) {
            throw ApiException.unauthorized("The webhook signature is not valid");
        }
        if (event != null) {
            calls.mediaEvent(event);
        }
        return HttpResponse.ok();
    }
}
