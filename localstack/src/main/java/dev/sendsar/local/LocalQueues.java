package dev.sendsar.local;

import dev.sendsar.routes.RouteTable;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The queues of {@link RouteTable#QUEUES} in ElasticMQ, configured as CDK configures them on AWS: the visibility
 * timeout, and a dead-letter queue the message moves to after {@code maxReceiveCount} receives.
 */
final class LocalQueues {
    record Urls(String url, String arn) {
    }

    private LocalQueues() {
    }

    /** Creates (or finds) every queue and its DLQ; returns each queue's URL and ARN by name. */
    static Map<String, Urls> ensure(SqsClient sqs, List<RouteTable.Queue> queues) {
        Map<String, Urls> urls = new LinkedHashMap<>();
        for (RouteTable.Queue queue : queues) {
            String deadLetterArn = create(sqs, queue.deadLetterName(), Map.of(
                    QueueAttributeName.MESSAGE_RETENTION_PERIOD, Integer.toString(14 * 24 * 3600))).arn();
            urls.put(queue.name(), create(sqs, queue.name(), Map.of(
                    QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(queue.visibilitySeconds()),
                    QueueAttributeName.MESSAGE_RETENTION_PERIOD, Integer.toString(4 * 24 * 3600),
                    QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + deadLetterArn
                            + "\",\"maxReceiveCount\":\"" + queue.maxReceiveCount() + "\"}")));
        }
        return urls;
    }

    static Urls create(SqsClient sqs, String name, Map<QueueAttributeName, String> attributes) {
        String url = sqs.createQueue(b -> b.queueName(name).attributes(attributes)).queueUrl();
        String arn = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        return new Urls(url, arn);
    }
}
