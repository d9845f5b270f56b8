package dev.sendsar.ports;

import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * Deliveries to big rooms handed to the fan-out worker (the {@code fan-out} queue of {@code RouteTable.QUEUES}): each
 * batch is one ready frame for up to 100 users, so a worker delivers it with one connection read and its posts.
 */
public interface FanOutQueue {
    String NAME = "fan-out";

    /** One frame for these users of the tenant. */
    @Serdeable
    record Batch(String tenantId, String frame, List<String> userIds) {
    }

    /** Queues the batches; returns those that could not be queued (the caller then delivers them itself). */
    List<Batch> enqueue(List<Batch> batches);
}
