package dev.sendsar.domain;

/**
 * What a user is limited in, per minute, by the tenant's {@code chat.rateLimits}; {@code key} names its counter.
 * {@link #API_KEY_WRITE} is the tenant-wide count of writes made with an API key (a platform limit, not a setting).
 */
public enum RateLimitedAction {
    SEND_MESSAGE("send"),
    TYPING("typing"),
    JOIN_ROOM("join"),
    UPLOAD_PRESIGN("presign"),
    MESSAGE_ACTION("message"),
    RECEIPT("receipt"),
    OTHER_WRITE("write"),
    API_KEY_WRITE("apikey"),
    /** Opening a WebSocket: a fixed limit, not a tenant setting. */
    CONNECT("connect");

    private final String key;

    RateLimitedAction(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }
}
