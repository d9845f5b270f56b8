package dev.sendsar.error;

import java.util.List;

/**
 * The one error type of the product: every failure a client may see carries an HTTP status, a stable snake_case
 * {@code code} and a message. Each edge (REST, WebSocket frame, $connect, SQS worker) maps it exactly once.
 */
public class ApiException extends RuntimeException {
    private final ErrorCode code;
    private final List<FieldError> details;
    /** For a 429: seconds until the client may retry (sent as Retry-After); 0 otherwise. */
    private final long retryAfterSeconds;

    public ApiException(ErrorCode code, String message) {
        this(code, message, List.of());
    }

    public ApiException(ErrorCode code, String message, List<FieldError> details) {
        this(code, message, details, 0);
    }

    private ApiException(ErrorCode code, String message, List<FieldError> details, long retryAfterSeconds) {
        super(message, null, false, false);
        this.code = code;
        this.details = List.copyOf(details);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int status() { return code.status(); }
    public String code() { return code.code(); }
    public ErrorCode errorCode() { return code; }
    public List<FieldError> details() { return details; }
    public long retryAfterSeconds() { return retryAfterSeconds; }

    /** 429 {@code rate_limited}: the client may retry after {@code retryAfterSeconds}. */
    public static ApiException rateLimited(long retryAfterSeconds) {
        return new ApiException(ErrorCode.RATE_LIMITED, "Too many requests; retry in " + retryAfterSeconds + " s",
                List.of(), retryAfterSeconds);
    }

    public static ApiException unauthorized(String message) {
        return new ApiException(ErrorCode.UNAUTHORIZED, message);
    }

    public static ApiException cannotActAsOtherUser() {
        return new ApiException(ErrorCode.CANNOT_ACT_AS_OTHER_USER, "Cannot act as another user");
    }

    public static ApiException missingBody() {
        return new ApiException(ErrorCode.MISSING_BODY, "A JSON body is required");
    }
}
