package dev.sendsar.local;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.sendsar.routes.RouteTable;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The local SQS event source against ElasticMQ: partial batches, visibility, delays, the DLQ, a clean stop. */
class SqsPollerTest {
    private final SqsClient sqs = TestStack.get().context().getBean(SqsClient.class);

    @Test
    void onlyFailedMessagesComeBackAfterTheVisibilityTimeoutThenMoveToTheDeadLetterQueue() throws Exception {
        RouteTable.Queue spec = new RouteTable.Queue("poll-" + UUID.randomUUID().toString().substring(0, 8), "test", 1, 2);
        LocalQueues.Urls queue = LocalQueues.ensure(sqs, List.of(spec)).get(spec.name());
        String deadLetters = sqs.getQueueUrl(b -> b.queueName(spec.deadLetterName())).queueUrl();
        Map<String, List<String>> receives = new ConcurrentHashMap<>();
        Function<SQSEvent, SQSBatchResponse> worker = event -> {
            List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
            for (SQSEvent.SQSMessage m : event.getRecords()) {
                receives.computeIfAbsent(m.getBody(), k -> new CopyOnWriteArrayList<>()).add(m.getAttributes().get("ApproximateReceiveCount"));
                if (m.getBody().startsWith("bad")) {
                    failures.add(new SQSBatchResponse.BatchItemFailure(m.getMessageId()));
                }
            }
            return new SQSBatchResponse(failures);
        };
        try (SqsPoller ignored = new SqsPoller(sqs, worker(spec.name()), queue, worker)) {
            for (String body : List.of("good-1", "bad-1", "good-2")) {
                sqs.sendMessage(b -> b.queueUrl(queue.url()).messageBody(body));
            }
            waitFor(Duration.ofSeconds(15), () -> sqs.receiveMessage(b -> b.queueUrl(deadLetters).visibilityTimeout(0))
                    .messages().stream().anyMatch(m -> m.body().equals("bad-1")));
        }
        assertEquals(List.of("1"), receives.get("good-1"), "a succeeded message is deleted, never received again");
        assertEquals(List.of("1"), receives.get("good-2"));
        assertEquals(List.of("1", "2"), receives.get("bad-1"), "a failed one comes back until maxReceiveCount");
    }

    @Test
    void anExceptionFailsTheWholeBatchAndDelaySecondsIsHonoured() throws Exception {
        RouteTable.Queue spec = new RouteTable.Queue("poll-" + UUID.randomUUID().toString().substring(0, 8), "test", 1, 5);
        LocalQueues.Urls queue = LocalQueues.ensure(sqs, List.of(spec)).get(spec.name());
        List<String> seen = new CopyOnWriteArrayList<>();
        long[] firstSeenAt = new long[1];
        Function<SQSEvent, SQSBatchResponse> worker = event -> {
            event.getRecords().forEach(m -> seen.add(m.getBody()));
            if (seen.size() == 1) {
                firstSeenAt[0] = System.nanoTime();
                throw new IllegalStateException("the first invocation crashes");
            }
            return new SQSBatchResponse(List.of());
        };
        long sent = System.nanoTime();
        try (SqsPoller ignored = new SqsPoller(sqs, worker(spec.name()), queue, worker)) {
            sqs.sendMessage(b -> b.queueUrl(queue.url()).messageBody("delayed").delaySeconds(2));
            waitFor(Duration.ofSeconds(15), () -> seen.size() >= 2);
        }
        assertTrue(firstSeenAt[0] - sent >= Duration.ofMillis(1900).toNanos(), "DelaySeconds hides the message first");
        assertEquals(List.of("delayed", "delayed"), seen, "a crash leaves the message to come back");
    }

    @Test
    void closeStopsThePollersPromptly() throws Exception {
        RouteTable.Queue spec = new RouteTable.Queue("poll-" + UUID.randomUUID().toString().substring(0, 8), "test", 30, 5);
        LocalQueues.Urls queue = LocalQueues.ensure(sqs, List.of(spec)).get(spec.name());
        SqsPoller poller = new SqsPoller(sqs, worker(spec.name()), queue, event -> new SQSBatchResponse(List.of()));
        long start = System.nanoTime();
        poller.close();
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(SqsPoller.WAIT_SECONDS + 2).toNanos());
        sqs.sendMessage(b -> b.queueUrl(queue.url()).messageBody("after close"));
        assertEquals(1, sqs.receiveMessage(b -> b.queueUrl(queue.url()).waitTimeSeconds(1)).messages().size(),
                "nothing consumes after close");
    }

    private static RouteTable.Worker worker(String queue) {
        return RouteTable.Worker.sqs("test-worker", "unused.InTest", queue, 1, 10, 2);
    }

    static void waitFor(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Condition not met within " + timeout);
            }
            Thread.sleep(50);
        }
    }
}
