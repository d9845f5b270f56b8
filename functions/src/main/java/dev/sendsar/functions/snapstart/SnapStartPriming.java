package dev.sendsar.functions.snapstart;

import dev.sendsar.auth.SessionTokens;
import dev.sendsar.domain.Ids;
import dev.sendsar.domain.Message;
import dev.sendsar.domain.Times;
import dev.sendsar.json.Json;
import dev.sendsar.service.RealtimePublisher;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * SnapStart priming. Before Lambda snapshots an initialized function, it runs the local work of the hot paths
 * (send message, {@code $connect}): message and frame JSON both ways, and a session token signed and verified. The
 * snapshot then holds those classes loaded and their code warm, so a restored function does not pay for them on
 * its first request. Nothing here touches the network: a snapshot must not hold connections.
 */
@Context
@Requires(property = "sendsar.snapstart-priming", notEquals = "false")
public class SnapStartPriming implements Resource {
    private static final Logger LOG = LoggerFactory.getLogger(SnapStartPriming.class);
    static final int ROUNDS = 50;

    private final Json json;
    private final SessionTokens sessionTokens;

    public SnapStartPriming(Json json, SessionTokens sessionTokens) {
        this.json = json;
        this.sessionTokens = sessionTokens;
        Core.getGlobalContext().register(this);
    }

    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        long started = System.nanoTime();
        int rounds = prime();
        LOG.info("Primed {} rounds before the snapshot in {} ms", rounds, (System.nanoTime() - started) / 1_000_000);
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // nothing to reopen: priming made no connections
    }

    /** Runs the hot paths' local work; returns how many rounds ran. */
    int prime() {
        for (int i = 0; i < ROUNDS; i++) {
            Message message = Message.posted(Ids.uuidV7(), Ids.uuid(), i + 1L, "priming",
                    List.of(Map.of("type", "text", "text", "priming " + i)), "priming", null, Times.now(), null);
            String frame = json.write(new RealtimePublisher.Frame("new-message", message));
            try {
                json.read(json.write(message), Message.class);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            json.readMap(frame);
            sessionTokens.verify(sessionTokens.issue("priming", "priming", 60).token());
        }
        return ROUNDS;
    }
}
