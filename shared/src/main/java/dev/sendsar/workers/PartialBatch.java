package dev.sendsar.workers;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Lambda's partial-batch contract for SQS and DynamoDB Streams event sources, written once. Worker functions build
 * their responses with {@link #eachMessage} / {@link #inOrder}; the local runtime's pollers decide what to deliver
 * again with {@link #sqsRetries} / {@link #streamResumeIndex}, exactly as the AWS event source mapping does:
 * <ul>
 *   <li>no response or an empty failure list: every item succeeded;</li>
 *   <li>the listed item identifiers (SQS message ids, stream sequence numbers) failed, and only they come back
 *       (for a stream: the shard resumes at the earliest listed record);</li>
 *   <li>a thrown exception, or an identifier that is null, blank or not in the batch: the whole batch failed.</li>
 * </ul>
 */
public final class PartialBatch {
    private static final Logger LOG = LoggerFactory.getLogger(PartialBatch.class);

    /** One item's work; throwing fails that item only. */
    @FunctionalInterface
    public interface ItemWork<T> {
        void run(T item) throws Exception;
    }

    private PartialBatch() {
    }

    /** Runs every message; those that threw are reported, so only they are received again. */
    public static SQSBatchResponse eachMessage(SQSEvent event, ItemWork<SQSEvent.SQSMessage> work) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (SQSEvent.SQSMessage message : records(event == null ? null : event.getRecords())) {
            try {
                work.run(message);
            } catch (Exception e) {
                LOG.warn("Message {} failed and will be received again: {}", message.getMessageId(), e.toString());
                failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
            }
        }
        return new SQSBatchResponse(failures);
    }

    /**
     * Runs records in order and stops at the first that throws: the shard resumes at that record, so the records
     * after it are not run now (they would run twice) and per-partition order holds.
     */
    public static StreamsEventResponse inOrder(DynamodbEvent event, ItemWork<DynamodbEvent.DynamodbStreamRecord> work) {
        for (DynamodbEvent.DynamodbStreamRecord record : records(event == null ? null : event.getRecords())) {
            try {
                work.run(record);
            } catch (Exception e) {
                String sequenceNumber = record.getDynamodb().getSequenceNumber();
                LOG.warn("Stream record {} failed; the shard resumes there: {}", sequenceNumber, e.toString());
                return new StreamsEventResponse(List.of(new StreamsEventResponse.BatchItemFailure(sequenceNumber)));
            }
        }
        return new StreamsEventResponse(List.of());
    }

    /** The message ids of a batch to leave on the queue after {@code invocation}, by the rules above. */
    public static Set<String> sqsRetries(List<String> messageIds, Supplier<SQSBatchResponse> invocation) {
        return failed(messageIds, () -> {
            SQSBatchResponse response = invocation.get();
            return response == null || response.getBatchItemFailures() == null ? List.of()
                    : response.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList();
        });
    }

    /**
     * Where the shard resumes after {@code invocation} over records with these sequence numbers (in shard order):
     * their count when all succeeded, else the index of the earliest failed record (0: the whole batch again).
     */
    public static int streamResumeIndex(List<String> sequenceNumbers, Supplier<StreamsEventResponse> invocation) {
        Set<String> failed = failed(sequenceNumbers, () -> {
            StreamsEventResponse response = invocation.get();
            return response == null || response.getBatchItemFailures() == null ? List.of()
                    : response.getBatchItemFailures().stream().map(StreamsEventResponse.BatchItemFailure::getItemIdentifier).toList();
        });
        for (int i = 0; i < sequenceNumbers.size(); i++) {
            if (failed.contains(sequenceNumbers.get(i))) {
                return i;
            }
        }
        return sequenceNumbers.size();
    }

    private static Set<String> failed(List<String> ids, Supplier<List<String>> invocation) {
        List<String> reported;
        try {
            reported = invocation.get();
        } catch (RuntimeException | Error e) {
            LOG.warn("A worker threw; the whole batch of {} will be delivered again", ids.size(), e);
            return new LinkedHashSet<>(ids);
        }
        if (reported.isEmpty()) {
            return Set.of();
        }
        Set<String> known = Set.copyOf(ids);
        if (reported.stream().anyMatch(id -> id == null || !known.contains(id))) {
            LOG.warn("A worker reported an item identifier not in its batch; the whole batch will be delivered again");
            return new LinkedHashSet<>(ids);
        }
        return new LinkedHashSet<>(reported);
    }

    private static <T> List<T> records(List<T> records) {
        return records == null ? List.of() : records;
    }
}
