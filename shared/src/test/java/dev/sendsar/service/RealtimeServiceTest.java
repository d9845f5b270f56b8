package dev.sendsar.service;

import dev.sendsar.domain.Connection;
import dev.sendsar.domain.Times;
import dev.sendsar.fakes.Services;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A client frame extends its connection's life, but writes that extension at most once a minute. */
class RealtimeServiceTest {
    private final Services services = new Services();
    private final RealtimeService realtime = new RealtimeService(services.store.connectionRepository,
            services.store.roomRepository, services.publisher, services.rateLimits);

    private long expiryAfterAPing(long storedExpiry) {
        services.store.connectionRepository.save(new Connection("c1=", "t1", "alice", null,
                Times.format(Instant.now().minusSeconds(600)), storedExpiry));
        realtime.ping("c1=");
        return services.store.connectionRepository.find("c1=").orElseThrow().expiresAtEpochSeconds();
    }

    @Test
    void aFrameSoonAfterTheLastExtension_writesNothing_andTheConnectionOutlivesApiGatewaysIdleTimeout() {
        long extendedThirtySecondsAgo = Instant.now().plus(RealtimeService.IDLE_LIFETIME).minusSeconds(30).getEpochSecond();

        long after = expiryAfterAPing(extendedThirtySecondsAgo);

        assertEquals(extendedThirtySecondsAgo, after, "the stored expiry is left alone");
        assertTrue(after >= Instant.now().plusSeconds(600).getEpochSecond(), "still alive 10 minutes after this frame");
    }

    @Test
    void aFrameAMinuteOrMoreAfterTheLastExtension_extendsIt() {
        long extendedSixMinutesAgo = Instant.now().plus(RealtimeService.IDLE_LIFETIME).minusSeconds(360).getEpochSecond();

        long after = expiryAfterAPing(extendedSixMinutesAgo);

        assertTrue(after >= Instant.now().plus(RealtimeService.IDLE_LIFETIME).minusSeconds(2).getEpochSecond(),
                "extended to " + RealtimeService.IDLE_LIFETIME + " from now");
    }
}
