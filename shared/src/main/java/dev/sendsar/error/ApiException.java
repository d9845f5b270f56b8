package dev.sendsar.error;

import java.util.List;

/**
 * The one error type of the product: every failure a client may see carries an HTTP status, a stable snake_case
 * {@code code} and a message. Each edge (REST, WebSocket frame, $connect, SQS worker) maps it exactly once.
 */
public class ApiException extends RuntimeException {
    private final int status;
    private final String code;
    private final List<FieldError> details;
    /** For a 429: seconds until the client may retry (sent as Retry-After); 0 otherwise. */
    private final long retryAfterSeconds;

    public ApiException(int status, String code, String message) {
        this(status, code, message, List.of());
    }

    public ApiException(int status, String code, String message, List<FieldError> details) {
        this(status, code, message, details, 0);
    }

    private ApiException(int status, String code, String message, List<FieldError> details, long retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.details = List.copyOf(details);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int status() { return status; }
    public String code() { return code; }
    public List<FieldError> details() { return details; }
    public long retryAfterSeconds() { return retryAfterSeconds; }

    /** 429 {@code rate_limited}: the client may retry after {@code retryAfterSeconds}. */
    public static ApiException rateLimited(long retryAfterSeconds) {
        return new ApiException(429, "rate_limited", "Too many requests; retry in " + retryAfterSeconds + " s",
                List.of(), retryAfterSeconds);
    }

    public static ApiException badRequest(String code, String message) {
        return new ApiException(400, code, message);
    }

    public static ApiException unauthorized(String message) {
        return new ApiException(401, "unauthorized", message);
    }

    public static ApiException forbidden(String code, String message) {
        return new ApiException(403, code, message);
    }

    public static ApiException notFound(String code, String message) {
        return new ApiException(404, code, message);
    }

    public static ApiException cannotActAsOtherUser() {
        return forbidden("cannot_act_as_other_user", "Cannot act as another user");
    }
}
