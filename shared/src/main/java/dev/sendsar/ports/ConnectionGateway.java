package dev.sendsar.ports;

/** Pushes frames to open WebSockets (API Gateway's {@code @connections} API). */
public interface ConnectionGateway {

    /** Sends one text frame. Returns {@code false} when the connection is gone (410), so callers can forget it. */
    boolean post(String connectionId, String frame);

    /** Whether the socket is open (GetConnection); {@code false} when it is gone (410). */
    boolean isOpen(String connectionId);

    /** Closes the socket (DeleteConnection); a socket already gone is fine. */
    void close(String connectionId);
}
