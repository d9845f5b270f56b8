package dev.sendsar.functions.rest;

import dev.sendsar.error.ApiException;
import dev.sendsar.error.ErrorCode;
import dev.sendsar.error.FieldError;
import io.micronaut.http.HttpStatus;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/** The JSON of every non-2xx response. {@code details} appears only on validation errors. */
@Serdeable
public record ErrorBody(int statusCode, String error, String code, String message,
                        @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY)
                        List<FieldError> details) {

    public static ErrorBody of(ErrorCode code, String message) {
        return of(code.status(), code, message);
    }

    /** For a status the framework chose (an unexpected 4xx): the body names the closest code of the catalog. */
    public static ErrorBody of(int status, ErrorCode code, String message) {
        return new ErrorBody(status, reason(status), code.code(), message, List.of());
    }

    public static ErrorBody of(ApiException e) {
        return new ErrorBody(e.status(), reason(e.status()), e.code(), e.getMessage(), e.details());
    }

    private static String reason(int status) {
        try {
            return HttpStatus.valueOf(status).getReason();
        } catch (IllegalArgumentException unknown) {
            return "Error";
        }
    }
}
