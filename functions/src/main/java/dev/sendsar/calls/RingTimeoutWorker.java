package dev.sendsar.calls;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.sendsar.functions.workers.SqsWorkerFunction;
import dev.sendsar.json.Json;
import io.micronaut.context.ApplicationContext;
import jakarta.inject.Inject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * The ring-timeouts queue: a 1:1 call still ringing when its message arrives (after {@code ringTimeoutSeconds}) is
 * missed; a finished call gets its clean-up retried. The call is re-read each time, so a redelivered message changes
 * nothing that already happened.
 */
public class RingTimeoutWorker extends SqsWorkerFunction {
    private static final Logger LOG = LoggerFactory.getLogger(RingTimeoutWorker.class);

    @Inject
    CallService calls;
    @Inject
    Json json;

    public RingTimeoutWorker() {
    }

    public RingTimeoutWorker(ApplicationContext context) {
        super(context);
    }

    @Override
    protected void handle(SQSEvent.SQSMessage message) {
        CallTimers.CallRef ref;
        try {
            ref = json.read(message.getBody(), CallTimers.CallRef.class);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Dropping a ring-timeout message that is not a call reference: {}", e.toString());
            return; // retrying cannot make it readable
        }
        if (ref == null || ref.tenantId() == null || ref.roomId() == null || ref.callId() == null) {
            LOG.warn("Dropping a ring-timeout message without tenant, room and call");
            return;
        }
        calls.timerDue(ref);
    }
}
