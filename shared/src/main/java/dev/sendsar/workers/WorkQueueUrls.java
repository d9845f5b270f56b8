package dev.sendsar.workers;

import dev.sendsar.routes.RouteTable;
import io.micronaut.context.env.Environment;
import io.micronaut.context.BeanProvider;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The URL of each {@link RouteTable#QUEUES} queue: {@code sendsar.queue-url.<name>} (on AWS the CDK stack sets
 * {@code SENDSAR_QUEUE_URL_<NAME>} for the functions that send to it), else asked of SQS by name once (the emulator).
 */
@Singleton
public class WorkQueueUrls {
    private final Environment environment;
    private final BeanProvider<SqsClient> sqs;
    private final Map<String, String> resolved = new ConcurrentHashMap<>();

    public WorkQueueUrls(Environment environment, BeanProvider<SqsClient> sqs) {
        this.environment = environment;
        this.sqs = sqs;
    }

    public String url(String queueName) {
        return resolve(RouteTable.queue(queueName).name());
    }

    public String deadLetterUrl(String queueName) {
        return resolve(RouteTable.queue(queueName).deadLetterName());
    }

    private String resolve(String name) {
        return resolved.computeIfAbsent(name, n -> environment.getProperty("sendsar.queue-url." + n, String.class)
                .orElseGet(() -> sqs.get().getQueueUrl(b -> b.queueName(n)).queueUrl()));
    }
}
