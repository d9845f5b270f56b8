package dev.sendsar.error;

import java.util.Locale;

/**
 * Every error code a client can get (API.md §2), with its HTTP status: the one catalog every refusal names, REST and
 * WebSocket alike. The wire code is the constant's name in lower case. The JS SDK's {@code KnownServerErrorCode}
 * lists the same codes (a test compares them).
 */
public enum ErrorCode {
    // 400: the request cannot be served as written
    VALIDATION_FAILED(400),
    MALFORMED_JSON(400),
    INVALID_REQUEST(400),
    MALFORMED_REQUEST(400),
    MISSING_BODY(400),
    INVALID_CURSOR(400),
    RESERVED_PART_TYPE(400),
    FILE_TOO_LARGE(400),
    MEDIA_TYPE_NOT_ALLOWED(400),
    UPLOAD_INCOMPLETE(400),
    SIZE_MISMATCH(400),
    UNKNOWN_ACTION(400),
    INVALID_STATUS(400),
    INVALID_LIMIT(400),
    INVALID_WEBHOOK_URL(400),
    INVALID_PUSH_ENDPOINT(400),
    // 401: no valid credentials
    UNAUTHORIZED(401),
    INVALID_API_KEY(401),
    INVALID_ADMIN_KEY(401),
    // 403: valid credentials, not allowed
    CANNOT_ACT_AS_OTHER_USER(403),
    NOT_A_PARTICIPANT(403),
    ROOM_FROZEN(403),
    OPERATOR_REQUIRED(403),
    NOT_MESSAGE_SENDER(403),
    NOT_ALLOWED(403),
    MEDIA_DISABLED(403),
    CALLS_DISABLED(403),
    CANNOT_ACCEPT_OWN_CALL(403),
    NOT_CALL_CREATOR(403),
    NOT_IN_CALL(403),
    TENANT_CREDENTIALS_REQUIRED(403),
    API_KEY_REQUIRED(403),
    SESSION_TOKEN_REQUIRED(403),
    ADMIN_KEY_REQUIRED(403),
    CONNECTION_REFUSED(403),
    FORBIDDEN(403),
    // 404: no such thing (or not visible to the caller, which must look the same)
    NOT_FOUND(404),
    USER_NOT_FOUND(404),
    ROOM_NOT_FOUND(404),
    MESSAGE_NOT_FOUND(404),
    PARTICIPANT_NOT_FOUND(404),
    UPLOAD_NOT_FOUND(404),
    TENANT_NOT_FOUND(404),
    API_KEY_NOT_FOUND(404),
    CALL_NOT_FOUND(404),
    WEBHOOK_NOT_FOUND(404),
    DELIVERY_NOT_FOUND(404),
    METHOD_NOT_ALLOWED(405),
    // 409: the state of the thing refuses it
    MESSAGE_DELETED(409),
    MESSAGE_FORWARDED(409),
    MESSAGE_NOT_FORWARDABLE(409),
    MESSAGE_TOO_LARGE(409),
    TOO_MANY_REACTIONS(409),
    UPLOAD_NOT_READY(409),
    UPLOAD_CHANGED(409),
    SETTINGS_CONFLICT(409),
    TENANT_EXISTS(409),
    CALL_FULL(409),
    CALL_ALREADY_ANSWERED(409),
    CALL_ENDED(409),
    MESSAGE_IN_PROGRESS(409),
    PAYLOAD_TOO_LARGE(413),
    UNSUPPORTED_MEDIA_TYPE(415),
    // 429: slow down (REST adds Retry-After)
    RATE_LIMITED(429),
    TOO_MANY_CONNECTIONS(429),
    INTERNAL_ERROR(500),
    // 503: a bounded retry loop gave up, or a dependency is missing; the same request may be retried
    ROOM_BUSY(503),
    MESSAGE_BUSY(503),
    STORAGE_BUSY(503),
    SERVICE_UNAVAILABLE(503),
    CALLS_UNAVAILABLE(503),
    CALL_BUSY(503);

    private final int status;

    ErrorCode(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }

    /** The stable snake_case code on the wire. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
