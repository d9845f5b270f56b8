package dev.sendsar.webhooks;

import dev.sendsar.json.Json;
import dev.sendsar.workers.WorkQueueUrls;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.context.BeanProvider;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The {@code webhooks} queue: one small message per delivery attempt (the body stays in the delivery log). A wait
 * longer than SQS's 900 s delay limit is made of hops: {@code notBefore} says when the attempt is due, and a message
 * received earlier is sent on again with the rest of the wait.
 */
@Singleton
public class WebhookQueue {
    public static final String NAME = "webhooks";
    /** SQS's maximum DelaySeconds on a standard queue. */
    static final int MAX_DELAY_SECONDS = 900;

    /**
     * @param attempt   the attempt number this task makes (the {@code X-Webhook-Attempt} header)
     * @param step      how many retry delays of the ladder are used up (0 for a first attempt or a replay)
     * @param notBefore epoch seconds before which the attempt must not be made (0: at once)
     */
    @Serdeable
    public record Task(String tenantId, String eventId, int attempt, int step, long notBefore) {
    }

    private final BeanProvider<SqsClient> sqs;
    private final WorkQueueUrls urls;
    private final Json json;

    public WebhookQueue(BeanProvider<SqsClient> sqs, WorkQueueUrls urls, Json json) {
        this.sqs = sqs;
        this.urls = urls;
        this.json = json;
    }

    /** Queues {@code task}, delayed until its {@code notBefore} or by SQS's maximum, whichever is sooner. */
    public void send(Task task) {
        long wait = Math.max(0, task.notBefore() - java.time.Instant.now().getEpochSecond());
        int delay = (int) Math.min(MAX_DELAY_SECONDS, wait);
        sqs.get().sendMessage(b -> b.queueUrl(urls.url(NAME)).messageBody(json.write(task)).delaySeconds(delay));
    }

    /** Parks a task that used up its attempts in the dead-letter queue, where the alarm sees it. */
    public void deadLetter(Task task) {
        sqs.get().sendMessage(b -> b.queueUrl(urls.deadLetterUrl(NAME)).messageBody(json.write(task)));
    }

    public Task read(String body) {
        try {
            return json.read(body, Task.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
