package dev.sendsar.functions.rest;

import dev.sendsar.error.ErrorCode;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Micronaut's own errors (no such route, wrong method, unreadable body, anything unexpected) in the product's
 * error format. No exception text reaches the client: unexpected failures are logged here and answered generically.
 */
@Singleton
@Replaces(ErrorResponseProcessor.class)
public class ApiErrorResponseProcessor implements ErrorResponseProcessor<ErrorBody> {
    private static final Logger LOG = LoggerFactory.getLogger(ApiErrorResponseProcessor.class);

    @Override
    public MutableHttpResponse<ErrorBody> processResponse(ErrorContext context, MutableHttpResponse<?> response) {
        int status = response.code();
        ErrorBody body = switch (status) {
            case 400 -> malformedJson(context)
                    ? ErrorBody.of(ErrorCode.MALFORMED_JSON, "The request body is not valid JSON")
                    : ErrorBody.of(ErrorCode.INVALID_REQUEST, "The request does not have the expected shape");
            case 401 -> ErrorBody.of(ErrorCode.UNAUTHORIZED, "Missing or invalid credentials");
            case 403 -> ErrorBody.of(ErrorCode.FORBIDDEN, "Not allowed");
            case 404 -> ErrorBody.of(ErrorCode.NOT_FOUND, "No such route: " + context.getRequest().getPath());
            case 405 -> ErrorBody.of(ErrorCode.METHOD_NOT_ALLOWED, "Method " + context.getRequest().getMethodName() + " is not allowed here");
            case 413 -> ErrorBody.of(ErrorCode.PAYLOAD_TOO_LARGE, "The request body is too large");
            case 415 -> ErrorBody.of(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Send JSON with Content-Type: application/json");
            default -> {
                if (status >= 500) {
                    LOG.error("Unexpected failure on {} {}", context.getRequest().getMethodName(), context.getRequest().getPath(),
                            context.getRootCause().orElse(null));
                    yield ErrorBody.of(ErrorCode.INTERNAL_ERROR, "Internal server error");
                }
                yield ErrorBody.of(status, status >= 400 && status < 500 ? ErrorCode.INVALID_REQUEST : ErrorCode.INTERNAL_ERROR,
                        "The request failed");
            }
        };
        return response.body(body).contentType(io.micronaut.http.MediaType.APPLICATION_JSON_TYPE);
    }

    private static boolean malformedJson(ErrorContext context) {
        Throwable t = context.getRootCause().orElse(null);
        for (int depth = 0; t != null && depth < 10; depth++, t = t.getCause()) {
            String name = t.getClass().getName();
            if (name.contains("JsonParse") || name.contains("JsonEOF") || name.contains("JsonSyntax")
                    || (t.getMessage() != null && t.getMessage().contains("Unexpected character"))) {
                return true;
            }
        }
        return false;
    }
}
