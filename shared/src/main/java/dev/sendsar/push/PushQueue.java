package dev.sendsar.push;

import dev.sendsar.json.Json;
import dev.sendsar.workers.WorkQueueUrls;
import io.micronaut.context.BeanProvider;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The push queue ({@code RouteTable.QUEUES} "push"). */
@Singleton
public class PushQueue {
    static final String QUEUE = "push";

    private final BeanProvider<SqsClient> sqs;
    private final Json json;
    private final WorkQueueUrls urls;

    public PushQueue(BeanProvider<SqsClient> sqs, Json json, WorkQueueUrls urls) {
        this.sqs = sqs;
        this.json = json;
        this.urls = urls;
    }

    /** Sends the job, hidden for {@code delaySeconds} (0..900). */
    public void send(PushJob job, int delaySeconds) {
        sqs.get().sendMessage(b -> b.queueUrl(urls.url(QUEUE)).messageBody(json.write(job)).delaySeconds(delaySeconds));
    }
}
