package dev.sendsar.functions.rest;

import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The error responses of the API reference, each an {@link ErrorBody}. Put {@link Standard} on every controller
 * (class level) and {@link NotFound} / {@link Conflict} on the methods that can answer them; the success response
 * is still derived from the method's return type. Compile-time only: nothing here is read at run time.
 */
public final class ApiErrors {
    private ApiErrors() {
    }

    /** What any authenticated route can answer: 400, 401, 403, 413, 429, 500. */
    @Documented
    @Retention(RetentionPolicy.CLASS)
    @Target({ElementType.TYPE, ElementType.METHOD})
    @ApiResponse(responseCode = "400", description = "`malformed_json`, `validation_failed` (with `details`), `invalid_request`, `invalid_cursor`",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @ApiResponse(responseCode = "401", description = "`unauthorized`: missing or invalid credentials",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @ApiResponse(responseCode = "403", description = "Not allowed for these credentials, e.g. `api_key_required`, `cannot_act_as_other_user`",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @ApiResponse(responseCode = "413", description = "`payload_too_large`: the body is over 256 KB",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @ApiResponse(responseCode = "429", description = "`rate_limited`: retry after the given seconds",
            headers = @Header(name = "Retry-After", description = "Seconds until the client may retry", schema = @Schema(type = "integer")),
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @ApiResponse(responseCode = "500", description = "`internal_error`",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public @interface Standard {
    }

    /** A route that needs no credentials: only a server failure is an error. */
    @Documented
    @Retention(RetentionPolicy.CLASS)
    @Target({ElementType.TYPE, ElementType.METHOD})
    @ApiResponse(responseCode = "500", description = "`internal_error`",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public @interface Public {
    }

    /** The route names a resource that does not exist (or that the caller may not see). */
    @Documented
    @Retention(RetentionPolicy.CLASS)
    @Target({ElementType.TYPE, ElementType.METHOD})
    @ApiResponse(responseCode = "404", description = "No such resource, e.g. `user_not_found`, `room_not_found`",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public @interface NotFound {
    }

    /** The request conflicts with the current state. */
    @Documented
    @Retention(RetentionPolicy.CLASS)
    @Target({ElementType.TYPE, ElementType.METHOD})
    @ApiResponse(responseCode = "409", description = "Conflicts with the current state, e.g. `tenant_exists`, `message_deleted`",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public @interface Conflict {
    }
}
