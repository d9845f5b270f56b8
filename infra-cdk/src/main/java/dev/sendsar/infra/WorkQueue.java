package dev.sendsar.infra;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.lambda.eventsources.SqsEventSource;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * One queue of async work with its dead-letter queue and an alarm on the DLQ's depth. Consumers are wired with
 * {@link #consumeWith}, which always reports batch item failures (one bad message never retries a whole batch) and
 * refuses a visibility timeout under six times the consumer's timeout (AWS's guidance, so a message is not
 * redelivered while a retried invocation still holds it).
 */
public class WorkQueue extends Construct {

    /**
     * @param purpose          what the work is, for alarm text
     * @param visibility       how long a received message stays hidden; at least 6x the consumer's timeout
     * @param maxReceiveCount  receives before a message moves to the DLQ
     */
    public record Props(String purpose, Duration visibility, int maxReceiveCount) {
        public Props {
            if (purpose == null || purpose.isBlank()) {
                throw new IllegalArgumentException("purpose is required");
            }
            if (maxReceiveCount < 1 || maxReceiveCount > 1000) {
                throw new IllegalArgumentException("maxReceiveCount must be 1..1000");
            }
            if (visibility.toSeconds().longValue() > 12 * 60 * 60) {
                throw new IllegalArgumentException("SQS visibility timeout is at most 12 hours");
            }
        }
    }

    static final int VISIBILITY_TO_TIMEOUT_RATIO = 6;

    private final Props props;
    private final Queue queue;
    private final Queue deadLetters;

    public WorkQueue(Construct scope, String id, Props props, AlarmTopic alarms) {
        super(scope, id);
        this.props = props;
        this.deadLetters = Queue.Builder.create(this, "DeadLetters")
                .retentionPeriod(Duration.days(14))
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .build();
        this.queue = Queue.Builder.create(this, "Queue")
                .visibilityTimeout(props.visibility())
                .retentionPeriod(Duration.days(4))
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .deadLetterQueue(DeadLetterQueue.builder().queue(deadLetters).maxReceiveCount(props.maxReceiveCount()).build())
                .build();
        alarms.atLeast(this, "DeadLetterDepth", props.purpose() + ": messages gave up and wait in the dead-letter queue",
                deadLetters.metricApproximateNumberOfMessagesVisible(MetricOptions.builder()
                        .period(AlarmTopic.period()).statistic("Maximum").build()), 1);
    }

    public Queue queue() {
        return queue;
    }

    public Queue deadLetters() {
        return deadLetters;
    }

    /** Makes {@code consumer} the worker of this queue, at most {@code maxConcurrency} invocations at once. */
    public void consumeWith(IFunction consumer, Duration consumerTimeout, int batchSize, int maxConcurrency) {
        long needed = consumerTimeout.toSeconds().longValue() * VISIBILITY_TO_TIMEOUT_RATIO;
        if (props.visibility().toSeconds().longValue() < needed) {
            throw new IllegalArgumentException(props.purpose() + ": visibility " + props.visibility().toSeconds().longValue()
                    + " s is under " + VISIBILITY_TO_TIMEOUT_RATIO + "x the consumer's timeout (" + needed + " s needed)");
        }
        consumer.addEventSource(SqsEventSource.Builder.create(queue)
                .batchSize(batchSize)
                .maxConcurrency(maxConcurrency)
                .reportBatchItemFailures(true)
                .build());
    }
}
