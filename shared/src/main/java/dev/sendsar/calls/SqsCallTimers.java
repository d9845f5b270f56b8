package dev.sendsar.calls;

import dev.sendsar.json.Json;
import dev.sendsar.routes.RouteTable;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.context.BeanProvider;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * {@link CallTimers} on the {@value #QUEUE} queue with {@code DelaySeconds}. On AWS the queue URL comes from
 * {@code SENDSAR_QUEUE_URL_RING_TIMEOUTS}; locally the queue is looked up by name.
 */
@Singleton
public class SqsCallTimers implements CallTimers {
    public static final String QUEUE = "ring-timeouts";
    /** SQS delays a message by 15 minutes at most. */
    static final int MAX_DELAY_SECONDS = 900;

    private final BeanProvider<SqsClient> sqs;
    private final Json json;
    private volatile String queueUrl;

    public SqsCallTimers(BeanProvider<SqsClient> sqs, Json json, @Nullable @Value("${sendsar.queue-url.ring-timeouts:}") String queueUrl) {
        this.sqs = sqs;
        this.json = json;
        this.queueUrl = queueUrl == null || queueUrl.isBlank() ? null : queueUrl;
        RouteTable.queue(QUEUE);
    }

    @Override
    public void checkLater(CallRef call, int delaySeconds) {
        int delay = Math.max(0, Math.min(MAX_DELAY_SECONDS, delaySeconds));
        sqs.get().sendMessage(b -> b.queueUrl(url()).delaySeconds(delay).messageBody(json.write(call)));
    }

    private String url() {
        String url = queueUrl;
        if (url == null) {
            url = sqs.get().getQueueUrl(b -> b.queueName(QUEUE)).queueUrl();
            queueUrl = url;
        }
        return url;
    }
}
