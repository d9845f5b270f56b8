package dev.sendsar.functions.rest;

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
                    ? ErrorBody.of(400, "malformed_json", "The request body is not valid JSON")
                    : ErrorBody.of(400, "invalid_request", "The request does not have the expected shape");
            case 401 -> ErrorBody.of(401, "unauthorized", "Missing or invalid credentials");
            case 403 -> ErrorBody.of(403, "forbidden", "Not allowed");
            case 404 -> ErrorBody.of(404, "not_found", "No such route: " + context.getRequest().getPath());
            case 405 -> ErrorBody.of(405, "method_not_allowed", "Method " + context.getRequest().getMethodName() + " is not allowed here");
            case 413 -> ErrorBody.of(413, "payload_too_large", "The request body is too large");
            case 415 -> ErrorBody.of(415, "unsupported_media_type", "Send JSON with Content-Type: application/json");
            default -> {
                if (status >= 500) {
                    LOG.error("Unexpected failure on {} {}", context.getRequest().getMethodName(), context.getRequest().getPath(),
                            context.getRootCause().orElse(null));
                    yield ErrorBody.of(500, "internal_error", "Internal server error");
                }
                yield ErrorBody.of(status, "error", "The request failed");
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
