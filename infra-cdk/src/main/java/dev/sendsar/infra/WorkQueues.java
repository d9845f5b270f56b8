package dev.sendsar.infra;

import dev.sendsar.routes.RouteTable;
import software.amazon.awscdk.Duration;
import software.constructs.Construct;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The SQS queues of {@link RouteTable#QUEUES}, each with its dead-letter queue and alarm. Workers are wired to them
 * by {@link WorkerFunctions}; producers get {@code sqs:SendMessage} and the queue URL through
 * {@code RouteAccess.sendsTo}.
 */
public class WorkQueues extends Construct {
    private final Map<String, WorkQueue> queues = new LinkedHashMap<>();

    public WorkQueues(Construct scope, String id, AlarmTopic alarms) {
        super(scope, id);
        for (RouteTable.Queue queue : RouteTable.QUEUES) {
            queues.put(queue.name(), new WorkQueue(this, constructId(queue.name()), new WorkQueue.Props(queue.purpose(),
                    Duration.seconds(queue.visibilitySeconds()), queue.maxReceiveCount()), alarms));
        }
    }

    /** The queue of this {@link RouteTable#QUEUES} name. */
    public WorkQueue named(String name) {
        WorkQueue queue = queues.get(name);
        if (queue == null) {
            throw new IllegalArgumentException("No queue named " + name + " in RouteTable.QUEUES");
        }
        return queue;
    }

    public List<WorkQueue> all() {
        return List.copyOf(queues.values());
    }

    /** The environment variable holding a queue's URL: Micronaut reads it as {@code sendsar.queue-url.<name>}. */
    public static String urlVariable(String queueName) {
        return "SENDSAR_QUEUE_URL_" + queueName.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /** "ring-timeouts" becomes "RingTimeouts", the id the queue had before queues came from the route table. */
    private static String constructId(String name) {
        StringBuilder id = new StringBuilder();
        for (String word : name.split("-")) {
            id.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
        }
        return id.toString();
    }
}
