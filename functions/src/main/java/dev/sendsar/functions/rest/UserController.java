package dev.sendsar.functions.rest;

import dev.sendsar.functions.lambda.FunctionRoute;
import dev.sendsar.functions.security.Roles;
import io.micronaut.context.annotation.Requires;
import io.micronaut.security.annotation.Secured;
import dev.sendsar.domain.Caller;
import dev.sendsar.domain.User;
import dev.sendsar.ports.UserRepository;
import dev.sendsar.service.UserService;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

@ApiErrors.Standard
@Requires(condition = FunctionRoute.class)
@Controller("/v1/users")
public class UserController {
    private final UserService users;

    public UserController(UserService users) {
        this.users = users;
    }

    /** Upsert: 201 when the user is new, 200 when it existed. */
    @Secured(Roles.API_KEY)
    @Post
    @ApiResponse(responseCode = "201", description = "Created", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "200", description = "Updated", useReturnTypeSchema = true)
    public HttpResponse<User> upsert(Caller caller, @Nullable @Body UserService.UpsertUserRequest request) {
        UserRepository.Upserted result = users.upsert(caller, request);
        return result.created() ? HttpResponse.created(result.user()) : HttpResponse.ok(result.user());
    }

    @Secured({Roles.API_KEY, Roles.USER})
    @Get("/{userId}")
    @ApiErrors.NotFound
    public User get(Caller caller, String userId) {
        return users.get(caller, userId);
    }
}
