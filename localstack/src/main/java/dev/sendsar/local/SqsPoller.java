package dev.sendsar.local;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.sendsar.routes.RouteTable;
import dev.sendsar.workers.PartialBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * What Lambda's SQS event source does for one worker, against ElasticMQ: long-polls the worker's queue with up to
 * {@code maxConcurrency} pollers, hands each batch to the worker as a real {@link SQSEvent}, deletes what succeeded
 * and leaves the rest to reappear after the queue's visibility timeout ({@link PartialBatch#sqsRetries}). Delays,
 * receive counts and the redrive to the dead-letter queue are ElasticMQ's own, as configured by {@link LocalQueues}.
 */
final class SqsPoller implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SqsPoller.class);
    /** Long polling, short enough that close() returns within about a second. */
    static final int WAIT_SECONDS = 1;
    /** Local pollers per worker at most: its concurrency on AWS, bounded so a laptop stays responsive. */
    private static final int MAX_LOCAL_POLLERS = 4;

    private final SqsClient sqs;
    private final RouteTable.Worker worker;
    private final LocalQueues.Urls queue;
    private final Function<SQSEvent, SQSBatchResponse> function;
    private final ExecutorService pollers;
    private volatile boolean running = true;

    SqsPoller(SqsClient sqs, RouteTable.Worker worker, LocalQueues.Urls queue, Function<SQSEvent, SQSBatchResponse> function) {
        this.sqs = sqs;
        this.worker = worker;
        this.queue = queue;
        this.function = function;
        int count = Math.min(worker.maxConcurrency(), MAX_LOCAL_POLLERS);
        this.pollers = Executors.newFixedThreadPool(count, r -> {
            Thread thread = new Thread(r, "worker-" + worker.name());
            thread.setDaemon(true);
            return thread;
        });
        for (int i = 0; i < count; i++) {
            pollers.execute(this::poll);
        }
    }

    private void poll() {
        while (running) {
            try {
                List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(queue.url())
                        .maxNumberOfMessages(worker.batchSize())
                        .waitTimeSeconds(WAIT_SECONDS)
                        .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                        .messageAttributeNames("All")).messages();
                if (!messages.isEmpty() && running) {
                    invoke(messages);
                }
            } catch (RuntimeException e) {
                if (running) {
                    LOG.warn("Polling {} failed: {}", queue.url(), e.toString());
                    pause();
                }
            }
        }
    }

    private void invoke(List<Message> messages) {
        SQSEvent event = new SQSEvent();
        event.setRecords(messages.stream().map(this::record).toList());
        List<String> ids = messages.stream().map(Message::messageId).toList();
        Set<String> retry = PartialBatch.sqsRetries(ids, () -> function.apply(event));
        List<DeleteMessageBatchRequestEntry> done = new ArrayList<>();
        for (Message message : messages) {
            if (!retry.contains(message.messageId())) {
                done.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(done.size()))
                        .receiptHandle(message.receiptHandle()).build());
            }
        }
        if (!done.isEmpty()) {
            sqs.deleteMessageBatch(b -> b.queueUrl(queue.url()).entries(done));
        }
    }

    /** The record as Lambda's event source builds it. */
    private SQSEvent.SQSMessage record(Message message) {
        SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
        record.setMessageId(message.messageId());
        record.setReceiptHandle(message.receiptHandle());
        record.setBody(message.body());
        record.setMd5OfBody(message.md5OfBody());
        record.setMd5OfMessageAttributes(message.md5OfMessageAttributes());
        Map<String, String> attributes = new HashMap<>();
        message.attributes().forEach((name, value) -> attributes.put(name.toString(), value));
        record.setAttributes(attributes);
        Map<String, SQSEvent.MessageAttribute> messageAttributes = new HashMap<>();
        message.messageAttributes().forEach((name, value) -> {
            SQSEvent.MessageAttribute attribute = new SQSEvent.MessageAttribute();
            attribute.setDataType(value.dataType());
            attribute.setStringValue(value.stringValue());
            messageAttributes.put(name, attribute);
        });
        record.setMessageAttributes(messageAttributes);
        record.setEventSource("aws:sqs");
        record.setEventSourceArn(queue.arn());
        record.setAwsRegion("us-east-1");
        return record;
    }

    private void pause() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** Stops taking batches; a batch in hand finishes first. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        pollers.shutdown();
        if (!pollers.awaitTermination(WAIT_SECONDS + worker.timeoutSeconds(), TimeUnit.SECONDS)) {
            pollers.shutdownNow();
        }
    }
}
