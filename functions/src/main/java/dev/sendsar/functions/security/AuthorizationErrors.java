package dev.sendsar.functions.security;

import dev.sendsar.error.ErrorCode;
import dev.sendsar.functions.lambda.FunctionRoute;
import dev.sendsar.functions.rest.ErrorBody;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.AuthorizationException;
import io.micronaut.security.authentication.DefaultAuthorizationExceptionHandler;
import io.micronaut.web.router.RouteAttributes;
import jakarta.inject.Singleton;

import java.util.Set;

/**
 * A request a route's rule refused, in the contract's error format instead of Micronaut Security's: 401
 * {@code unauthorized} without valid credentials; 403 with a code naming what the route needs otherwise.
 */
@Produces
@Requires(condition = FunctionRoute.class)
@Singleton
@Replaces(DefaultAuthorizationExceptionHandler.class)
public class AuthorizationErrors implements ExceptionHandler<AuthorizationException, HttpResponse<ErrorBody>> {

    @Override
    public HttpResponse<ErrorBody> handle(HttpRequest request, AuthorizationException e) {
        if (!e.isForbidden()) {
            String message = request.getHeaders().contains("Authorization")
                    ? "The session token is invalid or expired"
                    : "Send an x-api-key header or an Authorization: Bearer session token";
            return HttpResponse.<ErrorBody>status(HttpStatus.UNAUTHORIZED).body(ErrorBody.of(ErrorCode.UNAUTHORIZED, message));
        }
        Set<String> allowed = RouteAttributes.getRouteMatch(request)
                .map(route -> Set.of(route.getAnnotationMetadata().stringValues(Secured.class)))
                .orElse(Set.of());
        ErrorBody body;
        if (allowed.equals(Set.of(Roles.ADMIN))) {
            body = ErrorBody.of(ErrorCode.ADMIN_KEY_REQUIRED, "This endpoint needs the operator key");
        } else if (allowed.equals(Set.of(Roles.API_KEY))) {
            body = ErrorBody.of(ErrorCode.API_KEY_REQUIRED, "This endpoint needs the tenant's API key");
        } else if (allowed.equals(Set.of(Roles.USER))) {
            body = ErrorBody.of(ErrorCode.SESSION_TOKEN_REQUIRED, "This endpoint needs a session token");
        } else if (allowed.equals(Set.of(Roles.API_KEY, Roles.USER))) {
            body = ErrorBody.of(ErrorCode.TENANT_CREDENTIALS_REQUIRED, "This endpoint needs an API key or a session token");
        } else {
            body = ErrorBody.of(ErrorCode.FORBIDDEN, "Not allowed");
        }
        return HttpResponse.<ErrorBody>status(HttpStatus.FORBIDDEN).body(body);
    }
}
