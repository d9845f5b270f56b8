package dev.sendsar.functions.rest;

import dev.sendsar.functions.lambda.FunctionRoute;
import dev.sendsar.functions.security.Roles;
import io.micronaut.context.annotation.Requires;
import io.micronaut.security.annotation.Secured;
import dev.sendsar.domain.Caller;
import dev.sendsar.domain.DeviceToken;
import dev.sendsar.service.DeviceTokenService;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Status;

/** Push tokens: a client registers its own; the server may register any user's. */
@Requires(condition = FunctionRoute.class)
@Controller("/v1/users")
@ApiErrors.Standard
public class DeviceTokenController {
    private final DeviceTokenService tokens;

    public DeviceTokenController(DeviceTokenService tokens) {
        this.tokens = tokens;
    }

    @Secured(Roles.USER)
    @Post("/me/device-tokens")
    @Status(HttpStatus.CREATED)
    public DeviceToken registerOwn(Caller caller, @Nullable @Body DeviceTokenService.RegisterRequest request) {
        return tokens.register(caller, null, request);
    }

    @Secured(Roles.USER)
    @Delete("/me/device-tokens/{token}")
    public HttpResponse<Void> unregisterOwn(Caller caller, String token) {
        tokens.unregister(caller, token);
        return HttpResponse.noContent();
    }

    @Secured(Roles.API_KEY)
    @Post("/{userId}/device-tokens")
    @Status(HttpStatus.CREATED)
    public DeviceToken register(Caller caller, String userId, @Nullable @Body DeviceTokenService.RegisterRequest request) {
        return tokens.register(caller, userId, request);
    }
}
