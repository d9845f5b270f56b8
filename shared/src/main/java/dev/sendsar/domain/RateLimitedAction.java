package dev.sendsar.domain;

/** What a user is limited in, per minute, by the tenant's {@code chat.rateLimits}; {@code key} names its counter. */
public enum RateLimitedAction {
    SEND_MESSAGE("send"),
    TYPING("typing"),
    JOIN_ROOM("join"),
    UPLOAD_PRESIGN("presign"),
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
