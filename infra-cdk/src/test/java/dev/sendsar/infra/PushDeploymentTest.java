package dev.sendsar.infra;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.Stack;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Push on AWS: the event router (the table's stream) may queue push jobs; the sender consumes the push queue (with its
 * DLQ) in partial batches, sends only to the push queue (retries), and never posts to WebSockets.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@SuppressWarnings("unchecked")
class PushDeploymentTest {
    private final SendsarStack stack = TestApps.Default.STACK;
    private final StackTemplates t = TestApps.Default.TEMPLATES;

    @Test
    void theSenderConsumesThePushQueue_inPartialBatches_andItsQueueHasADeadLetterQueue() {
        Map<String, Object> mapping = mappingOf(stack.workerFunctions().get("push-sender"));
        String push = logicalId(stack.queues().named("push").queue());
        assertEquals(Map.of("Fn::GetAtt", List.of(push, "Arn")), mapping.get("EventSourceArn"));
        assertEquals(List.of("ReportBatchItemFailures"), mapping.get("FunctionResponseTypes"));
        assertEquals(10, ((Number) mapping.get("BatchSize")).intValue());
        Map<String, Object> queue = props(t.findResources("AWS::SQS::Queue").get(push));
        String deadLetters = logicalId(stack.queues().named("push").deadLetters());
        assertEquals(Map.of("Fn::GetAtt", List.of(deadLetters, "Arn")),
                ((Map<String, Object>) queue.get("RedrivePolicy")).get("deadLetterTargetArn"));
    }

    @Test
    void theEventRouterMayQueuePushJobs_andTheSenderSendsOnlyToThePushQueue() {
        Map<String, Object> router = mappingOf(stack.workerFunctions().get("event-router"));
        assertEquals(Map.of("Fn::GetAtt", List.of(logicalId(stack.table().table()), "StreamArn")), router.get("EventSourceArn"));
        String push = logicalId(stack.queues().named("push").queue());
        assertTrue(sendTargets("event-router").contains(Map.of("Fn::GetAtt", List.of(push, "Arn"))), "the router queues push jobs");
        assertEquals(List.of(Map.of("Fn::GetAtt", List.of(push, "Arn"))), sendTargets("push-sender"), "retries only");
        assertFalse(statementsOf("push-sender").stream().anyMatch(s -> String.valueOf(s.get("Action")).contains("execute-api")),
                "the sender never posts to WebSockets");
        assertFalse(statementsOf("push-sender").stream().anyMatch(s -> String.valueOf(s.get("Action")).contains("s3:")));
    }

    private List<Object> sendTargets(String function) {
        List<Object> targets = new ArrayList<>();
        for (Map<String, Object> statement : statementsOf(function)) {
            if (String.valueOf(statement.get("Action")).contains("sqs:SendMessage")) {
                Object resource = statement.get("Resource");
                targets.addAll(resource instanceof List<?> list ? list : List.of(resource));
            }
        }
        return targets;
    }

    private Map<String, Object> mappingOf(RouteFunction worker) {
        String alias = logicalId(worker.alias());
        List<Map<String, Object>> mappings = t.findResources("AWS::Lambda::EventSourceMapping").values().stream()
                .map(PushDeploymentTest::props)
                .filter(m -> String.valueOf(m.get("FunctionName")).contains("{Ref=" + alias + "}"))
                .toList();
        assertEquals(1, mappings.size());
        return mappings.get(0);
    }

    private List<Map<String, Object>> statementsOf(String function) {
        RouteFunction f = stack.functions().get(function);
        Map<String, Object> role = props(t.findResources("AWS::IAM::Role").get(logicalId(f.function().getRole())));
        List<Map<String, Object>> statements = new ArrayList<>();
        for (Map<String, Object> inline : (List<Map<String, Object>>) role.getOrDefault("Policies", List.of())) {
            statements.addAll((List<Map<String, Object>>) ((Map<String, Object>) inline.get("PolicyDocument")).get("Statement"));
        }
        return statements;
    }

    private static String logicalId(software.constructs.IConstruct construct) {
        return Stack.of(construct).getLogicalId((CfnElement) construct.getNode().getDefaultChild());
    }

    private static Map<String, Object> props(Map<String, Object> resource) {
        return (Map<String, Object>) resource.getOrDefault("Properties", Map.of());
    }
}
