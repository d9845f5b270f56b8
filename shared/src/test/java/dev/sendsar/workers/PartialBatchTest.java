package dev.sendsar.workers;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The partial-batch rules both the worker functions and the local pollers go by. */
class PartialBatchTest {
    private static final List<String> IDS = List.of("a", "b", "c");

    @Test
    void anEmptyOrMissingFailureListMeansEverythingSucceeded() {
        assertEquals(Set.of(), PartialBatch.sqsRetries(IDS, () -> new SQSBatchResponse(List.of())));
        assertEquals(Set.of(), PartialBatch.sqsRetries(IDS, () -> null));
        assertEquals(Set.of(), PartialBatch.sqsRetries(IDS, () -> new SQSBatchResponse(null)));
    }

    @Test
    void onlyTheReportedMessagesComeBack() {
        assertEquals(Set.of("b"), PartialBatch.sqsRetries(IDS, () -> failures("b")));
    }

    @Test
    void anExceptionOrAnUnknownIdentifierFailsTheWholeBatch() {
        assertEquals(Set.copyOf(IDS), PartialBatch.sqsRetries(IDS, () -> {
            throw new IllegalStateException("boom");
        }));
        assertEquals(Set.copyOf(IDS), PartialBatch.sqsRetries(IDS, () -> failures("b", "zzz")));
        assertEquals(Set.copyOf(IDS), PartialBatch.sqsRetries(IDS, () -> failures("")));
        assertEquals(Set.copyOf(IDS), PartialBatch.sqsRetries(IDS, () -> failures((String) null)));
    }

    @Test
    void eachMessageReportsExactlyTheMessagesThatThrew() {
        SQSEvent event = new SQSEvent();
        List<SQSEvent.SQSMessage> messages = new ArrayList<>();
        for (String id : IDS) {
            SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
            message.setMessageId(id);
            message.setBody(id);
            messages.add(message);
        }
        event.setRecords(messages);
        List<String> ran = new ArrayList<>();
        SQSBatchResponse response = PartialBatch.eachMessage(event, m -> {
            ran.add(m.getBody());
            if (m.getBody().equals("b")) {
                throw new IllegalStateException("b fails");
            }
        });
        assertEquals(IDS, ran, "a failure does not stop the others");
        assertEquals(Set.of("b"), PartialBatch.sqsRetries(IDS, () -> response));
    }

    @Test
    void aStreamStopsAtItsFirstFailureAndResumesThere() {
        DynamodbEvent event = new DynamodbEvent();
        List<DynamodbEvent.DynamodbStreamRecord> records = new ArrayList<>();
        for (String seq : IDS) {
            DynamodbEvent.DynamodbStreamRecord record = new DynamodbEvent.DynamodbStreamRecord();
            record.setDynamodb(new StreamRecord().withSequenceNumber(seq));
            records.add(record);
        }
        event.setRecords(records);
        List<String> ran = new ArrayList<>();
        StreamsEventResponse response = PartialBatch.inOrder(event, r -> {
            ran.add(r.getDynamodb().getSequenceNumber());
            if (r.getDynamodb().getSequenceNumber().equals("b")) {
                throw new IllegalStateException("b fails");
            }
        });
        assertEquals(List.of("a", "b"), ran, "records after a failure wait, so order holds");
        assertEquals(1, PartialBatch.streamResumeIndex(IDS, () -> response));
        assertEquals(3, PartialBatch.streamResumeIndex(IDS, () -> new StreamsEventResponse(List.of())));
        assertEquals(0, PartialBatch.streamResumeIndex(IDS, () -> {
            throw new IllegalStateException("boom");
        }));
    }

    private static SQSBatchResponse failures(String... ids) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (String id : ids) {
            failures.add(new SQSBatchResponse.BatchItemFailure(id));
        }
        return new SQSBatchResponse(failures);
    }
}
