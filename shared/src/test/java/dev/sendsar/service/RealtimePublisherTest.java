package dev.sendsar.service;

import dev.sendsar.domain.Connection;
import dev.sendsar.domain.Times;
import dev.sendsar.fakes.Services;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A fan-out that meets a socket API Gateway has not opened yet ({@code $connect} stored it, but has not returned)
 * gets a 410 like for a closed one: only the closed one may be forgotten, or the new socket stays open and deaf.
 */
class RealtimePublisherTest {
    private final Services services = new Services();

    private Connection connection(String id, Instant connectedAt) {
        Connection c = new Connection(id, "t1", "alice", null, Times.format(connectedAt), Instant.now().plusSeconds(600).getEpochSecond());
        services.store.connectionRepository.save(c);
        services.store.gone.add(id);
        return c;
    }

    @Test
    void a410ForAConnectionStillInItsConnect_keepsIt_aClosedOneIsForgotten() {
        Connection opening = connection("opening=", Instant.now());
        Connection closedLongAgo = connection("closed=", Instant.now().minus(RealtimePublisher.CONNECT_GRACE).minusSeconds(1));

        services.publisher.publishTo(List.of(opening, closedLongAgo), "new-message", Map.of());

        assertTrue(services.store.connectionRepository.find("opening=").isPresent(), "the socket about to open keeps its record");
        assertTrue(services.store.connectionRepository.find("closed=").isEmpty(), "the closed socket is forgotten");
    }
}
