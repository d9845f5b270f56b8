package dev.sendsar.push;

import dev.sendsar.json.Json;
import dev.sendsar.routes.RouteTable;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The push queue. Its URL is configuration on AWS ({@code SENDSAR_QUEUE_URL_PUSH}, set by CDK for functions that
 * send to it); the local runtime's queues have fixed names, so there it is looked up by name.
 */
@Singleton
public class PushQueue {
    static final String QUEUE = "push";

    private final SqsClient sqs;
    private final Json json;
    private volatile String url;

    public PushQueue(SqsClient sqs, Json json, @Value("${sendsar.queue-url.push:}") String url) {
        this.sqs = sqs;
        this.json = json;
        this.url = url == null || url.isBlank() ? null : url;
        RouteTable.queue(QUEUE);
    }

    /** Sends the job, hidden for {@code delaySeconds} (0..900). */
    public void send(PushJob job, int delaySeconds) {
        sqs.sendMessage(b -> b.queueUrl(url()).messageBody(json.write(job)).delaySeconds(delaySeconds));
    }

    private String url() {
        String known = url;
        if (known == null) {
            known = sqs.getQueueUrl(b -> b.queueName(QUEUE)).queueUrl();
            url = known;
        }
        return known;
    }
}
