package dev.sendsar.realtime;

import dev.sendsar.json.Json;
import dev.sendsar.ports.FanOutQueue;
import dev.sendsar.workers.WorkQueueUrls;
import io.micronaut.context.BeanProvider;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** {@link FanOutQueue} on SQS: {@code SendMessageBatch} calls of up to 10 batches and 200 KiB each. */
@Singleton
public class SqsFanOutQueue implements FanOutQueue {
    private static final Logger LOG = LoggerFactory.getLogger(SqsFanOutQueue.class);
    /** SQS takes 10 entries per call, 256 KiB in all: a margin below it for the attributes SQS counts too. */
    private static final int MAX_ENTRIES = 10;
    private static final int MAX_CALL_BYTES = 200 * 1024;

    private final BeanProvider<SqsClient> sqs;
    private final WorkQueueUrls urls;
    private final Json json;

    public SqsFanOutQueue(BeanProvider<SqsClient> sqs, WorkQueueUrls urls, Json json) {
        this.sqs = sqs;
        this.urls = urls;
        this.json = json;
    }

    @Override
    public List<Batch> enqueue(List<Batch> batches) {
        List<Batch> failed = new ArrayList<>();
        List<Batch> call = new ArrayList<>();
        List<String> bodies = new ArrayList<>();
        int bytes = 0;
        for (Batch batch : batches) {
            String body = json.write(batch);
            int size = body.getBytes(StandardCharsets.UTF_8).length;
            if (!call.isEmpty() && (call.size() == MAX_ENTRIES || bytes + size > MAX_CALL_BYTES)) {
                failed.addAll(send(call, bodies));
                call = new ArrayList<>();
                bodies = new ArrayList<>();
                bytes = 0;
            }
            call.add(batch);
            bodies.add(body);
            bytes += size;
        }
        if (!call.isEmpty()) {
            failed.addAll(send(call, bodies));
        }
        return failed;
    }

    /** One SendMessageBatch; returns the batches SQS did not take. */
    private List<Batch> send(List<Batch> batches, List<String> bodies) {
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < bodies.size(); i++) {
            entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i)).messageBody(bodies.get(i)).build());
        }
        try {
            Set<String> refused = sqs.get().sendMessageBatch(b -> b.queueUrl(urls.url(NAME)).entries(entries)).failed().stream()
                    .map(f -> f.id()).collect(Collectors.toSet());
            List<Batch> notTaken = new ArrayList<>();
            for (int i = 0; i < batches.size(); i++) {
                if (refused.contains(Integer.toString(i))) {
                    notTaken.add(batches.get(i));
                }
            }
            return notTaken;
        } catch (RuntimeException e) {
            LOG.warn("Queueing {} fan-out batches failed: {}", batches.size(), e.toString());
            return batches;
        }
    }
}
