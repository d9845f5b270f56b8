package dev.sendsar.functions.rest;

import dev.sendsar.functions.lambda.FunctionRoute;
import dev.sendsar.functions.security.Roles;
import dev.sendsar.functions.security.SessionKeys;
import io.micronaut.context.annotation.Requires;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import dev.sendsar.config.SendsarConfig;
import dev.sendsar.domain.Caller;
import dev.sendsar.service.UserService;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

@Requires(condition = FunctionRoute.class)
@Controller("/v1")
public class AuthController {

    @Serdeable
    public record RealtimeInfo(String wsUrl) {
    }

    private final UserService users;
    private final SessionKeys sessionKeys;
    private final SendsarConfig config;

    public AuthController(UserService users, SessionKeys sessionKeys, SendsarConfig config) {
        this.users = users;
        this.sessionKeys = sessionKeys;
        this.config = config;
    }

    @Secured(Roles.API_KEY)
    @Post("/auth/token")
    @ApiErrors.Standard
    @ApiErrors.NotFound
    public UserService.TokenResponse token(Caller caller, @Nullable @Body UserService.TokenRequest request) {
        return users.mintToken(caller, request);
    }

    /** Public keys of the session tokens, so anyone can verify them. */
    @Secured(SecurityRule.IS_ANONYMOUS)
    @Get(value = "/auth/jwks.json", produces = MediaType.APPLICATION_JSON)
    @ApiErrors.Public
    @ApiResponse(responseCode = "200", description = "A JWK set", content = @Content(schema = @Schema(type = "object")))
    public HttpResponse<String> jwks() {
        return HttpResponse.ok(sessionKeys.publicJwks()).header("Cache-Control", "public, max-age=300");
    }

    @Secured(SecurityRule.IS_ANONYMOUS)
    @Get("/realtime")
    @ApiErrors.Public
    public RealtimeInfo realtime() {
        return new RealtimeInfo(config.getWsUrl());
    }
}
