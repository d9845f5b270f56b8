package dev.sendsar.infra;

import software.amazon.awscdk.Duration;
import software.constructs.Construct;

import java.util.List;

/**
 * The SQS queues of DESIGN.md. Their workers do not exist yet, so no event source is wired: the queues, DLQs and
 * alarms are defined now so producers and workers can be added without reshaping the stack. A worker is wired with
 * {@link WorkQueue#consumeWith}; its timeout must stay at or under {@link #WORKER_TIMEOUT}.
 */
public class WorkQueues extends Construct {
    /** The timeout every worker is planned with; queue visibility is six times this. */
    public static final Duration WORKER_TIMEOUT = Duration.seconds(30);
    private static final Duration VISIBILITY = Duration.seconds(WORKER_TIMEOUT.toSeconds().longValue() * WorkQueue.VISIBILITY_TO_TIMEOUT_RATIO);

    private final WorkQueue webhooks;
    private final WorkQueue ringTimeouts;
    private final WorkQueue push;
    private final WorkQueue fanOut;

    public WorkQueues(Construct scope, String id, AlarmTopic alarms) {
        super(scope, id);
        // The webhook worker retries by re-sending with a growing DelaySeconds itself; receives only count crashes.
        this.webhooks = new WorkQueue(this, "Webhooks", new WorkQueue.Props("Webhook deliveries", VISIBILITY, 5), alarms);
        // Messages carry DelaySeconds = ring timeout; the worker re-checks the call, so a retry is harmless.
        this.ringTimeouts = new WorkQueue(this, "RingTimeouts", new WorkQueue.Props("Call ring timeouts", VISIBILITY, 3), alarms);
        this.push = new WorkQueue(this, "Push", new WorkQueue.Props("Push notifications", VISIBILITY, 5), alarms);
        this.fanOut = new WorkQueue(this, "FanOut", new WorkQueue.Props("Big-room fan-out", VISIBILITY, 3), alarms);
    }

    public WorkQueue webhooks() {
        return webhooks;
    }

    public WorkQueue ringTimeouts() {
        return ringTimeouts;
    }

    public WorkQueue push() {
        return push;
    }

    public WorkQueue fanOut() {
        return fanOut;
    }

    public List<WorkQueue> all() {
        return List.of(webhooks, ringTimeouts, push, fanOut);
    }
}
