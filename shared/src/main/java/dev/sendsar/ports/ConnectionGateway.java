package dev.sendsar.ports;

/** Pushes frames to open WebSockets (API Gateway's {@code @connections} API). */
public interface ConnectionGateway {

    /** Sends one text frame. Returns {@code false} when the connection is gone (410), so callers can forget it. */
    boolean post(String connectionId, String frame);
}
