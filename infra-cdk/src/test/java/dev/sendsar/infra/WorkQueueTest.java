package dev.sendsar.infra;

import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How a worker is wired to a queue, on a small stack of its own (no worker exists in the real stack yet). */
class WorkQueueTest {

    @Test
    void aConsumerReportsBatchItemFailures_soOneBadMessageDoesNotRetryTheBatch() {
        Stack stack = new Stack(TestApps.app(Map.of()), "QueueTest");
        WorkQueue queue = new WorkQueue(stack, "Work", new WorkQueue.Props("Test work", Duration.seconds(180), 3),
                new AlarmTopic(stack, "Alarms", Optional.empty()));
        queue.consumeWith(worker(stack, Duration.seconds(30)), Duration.seconds(30), 10, 2);

        Template template = Template.fromStack(stack);
        Map<String, Map<String, Object>> mappings = template.findResources("AWS::Lambda::EventSourceMapping");
        assertEquals(1, mappings.size());
        @SuppressWarnings("unchecked")
        Map<String, Object> props = (Map<String, Object>) mappings.values().iterator().next().get("Properties");
        assertEquals(List.of("ReportBatchItemFailures"), props.get("FunctionResponseTypes"));
        assertEquals(2, template.findResources("AWS::SQS::Queue").size(), "the queue and its DLQ");
    }

    @Test
    void aVisibilityUnderSixTimesTheConsumersTimeoutIsRefused() {
        App app = TestApps.app(Map.of());
        Stack stack = new Stack(app, "QueueTest");
        WorkQueue queue = new WorkQueue(stack, "Work", new WorkQueue.Props("Test work", Duration.seconds(60), 3),
                new AlarmTopic(stack, "Alarms", Optional.empty()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> queue.consumeWith(worker(stack, Duration.seconds(30)), Duration.seconds(30), 10, 2));
        assertTrue(e.getMessage().contains("180 s needed"), e.getMessage());
    }

    /** A stand-in consumer: this test checks wiring, the code is never run. */
    private static Function worker(Stack stack, Duration timeout) {
        return Function.Builder.create(stack, "Worker")
                .runtime(Runtime.JAVA_21)
                .handler("not.Deployed")
                .code(Code.fromAsset(LambdaCode.PLACEHOLDER.toString()))
                .timeout(timeout)
                .build();
    }
}
