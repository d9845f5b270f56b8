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
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * What Lambda's SQS event source does for one worker, against ElasticMQ: long-polls the worker's queue whenever one of
 * its {@code maxConcurrency} invocation slots is free (so, as on AWS, a slow batch holds one slot, not the queue),
 * hands each batch to the worker as a real {@link SQSEvent}, deletes what succeeded
 * and leaves the rest to reappear after the queue's visibility timeout ({@link PartialBatch#sqsRetries}). Delays,
 * receive counts and the redrive to the dead-letter queue are ElasticMQ's own, as configured by {@link LocalQueues}.
 */
final class SqsPoller implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SqsPoller.class);
    /** Long polling, short enough that close() returns within about a second. */
    static final int WAIT_SECONDS = 1;
    private static final java.time.Duration LONG_POLL_TIMEOUT = java.time.Duration.ofSeconds(WAIT_SECONDS + 10);
    /** Concurrent invocations per worker at most: its concurrency on AWS, bounded so a laptop stays responsive. */
    private static final int MAX_LOCAL_CONCURRENCY = 50;

    private final SqsClient sqs;
    private final RouteTable.Worker worker;
    private final LocalQueues.Urls queue;
    private final Function<SQSEvent, SQSBatchResponse> function;
    private final Semaphore slots;
    private final ExecutorService invocations;
    private final Thread receiver;
    private volatile boolean running = true;

    SqsPoller(SqsClient sqs, RouteTable.Worker worker, LocalQueues.Urls queue, Function<SQSEvent, SQSBatchResponse> function) {
        this.sqs = sqs;
        this.worker = worker;
        this.queue = queue;
        this.function = function;
        int concurrency = Math.min(worker.maxConcurrency(), MAX_LOCAL_CONCURRENCY);
        this.slots = new Semaphore(concurrency);
        this.invocations = Executors.newFixedThreadPool(concurrency, r -> {
            Thread thread = new Thread(r, "worker-" + worker.name());
            thread.setDaemon(true);
            return thread;
        });
        this.receiver = new Thread(this::poll, "poller-" + worker.name());
        receiver.setDaemon(true);
        receiver.start();
    }

    private void poll() {
        while (running) {
            try {
                if (!slots.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS)) {
                    continue;
                }
            } catch (InterruptedException e) {
                return;
            }
            boolean handedOver = false;
            try {
                List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(queue.url())
                        .maxNumberOfMessages(worker.batchSize())
                        .waitTimeSeconds(WAIT_SECONDS)
                        // a long poll may take its wait: the clients' call timeouts are for calls answered at once
                        .overrideConfiguration(o -> o.apiCallAttemptTimeout(LONG_POLL_TIMEOUT).apiCallTimeout(LONG_POLL_TIMEOUT))
                        .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                        .messageAttributeNames("All")).messages();
                if (!messages.isEmpty() && running) {
                    invocations.execute(() -> {
                        try {
                            invoke(messages);
                        } catch (RuntimeException e) {
                            LOG.warn("Finishing a batch of {} failed: {}", worker.name(), e.toString());
                        } finally {
                            slots.release();
                        }
                    });
                    handedOver = true;
                }
            } catch (RuntimeException e) {
                if (running) {
                    LOG.warn("Polling {} failed: {}", queue.url(), e.toString());
                    pause();
                }
            } finally {
                if (!handedOver) {
                    slots.release();
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

    /** Stops taking batches; batches in hand finish first (within the worker's timeout). */
    @Override
    public void close() throws InterruptedException {
        running = false;
        receiver.join((WAIT_SECONDS + 1) * 1000L);
        invocations.shutdown();
        if (!invocations.awaitTermination(worker.timeoutSeconds(), TimeUnit.SECONDS)) {
            invocations.shutdownNow();
        }
    }
}
