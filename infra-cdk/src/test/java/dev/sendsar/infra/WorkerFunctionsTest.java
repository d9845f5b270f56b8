package dev.sendsar.infra;

import dev.sendsar.routes.RouteTable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.Stack;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How workers of the route table are deployed, on a stack with one SQS worker, one stream worker and one producer:
 * each its own function with its own timeout, invoked through its alias by an event source that reports batch item
 * failures; a producer may send to exactly its queues and finds their URLs in its environment.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@SuppressWarnings("unchecked")
class WorkerFunctionsTest {
    private static final RouteTable.Worker SQS_WORKER = RouteTable.Worker.sqs("test-queue-worker", "dev.sendsar.Test", "webhooks", 20, 7, 3);
    private static final RouteTable.Worker STREAM_WORKER = RouteTable.Worker.tableStream("test-stream-worker", "dev.sendsar.Test", 25, 50, RouteTable.EVENT_RECORDS);
    private StackTemplates t;

    @BeforeAll
    void synth() {
        RouteSet routes = new RouteSet(RouteTable.HTTP, RouteTable.WEBSOCKET, List.of(SQS_WORKER, STREAM_WORKER), name -> switch (name) {
            case "test-queue-worker" -> RouteAccess.builder().table(RouteAccess.TableAction.GET_ITEM).build();
            case "test-stream-worker" -> RouteAccess.builder().sendsTo("push").build();
            default -> RouteAccessTable.of(name);
        });
        t = new StackTemplates(TestApps.stack(routes));
    }

    @Test
    void eachWorkerIsItsOwnFunctionWithItsOwnTimeout_inANestedStack() {
        RouteFunction queueWorker = t.stack.workerFunctions().get(SQS_WORKER.name());
        RouteFunction streamWorker = t.stack.workerFunctions().get(STREAM_WORKER.name());
        assertEquals(20, ((Number) props(function(queueWorker)).get("Timeout")).intValue());
        assertEquals(25, ((Number) props(function(streamWorker)).get("Timeout")).intValue());
        assertEquals("dev.sendsar.Test", props(function(queueWorker)).get("Handler"));
        assertTrue(t.stack.routeStacks().contains(Stack.of(queueWorker)));
    }

    @Test
    void theSqsWorkerIsInvokedThroughItsAliasByItsQueue_reportingBatchItemFailures() {
        Map<String, Object> mapping = mappingOf(t.stack.workerFunctions().get(SQS_WORKER.name()));
        assertEquals(List.of("ReportBatchItemFailures"), mapping.get("FunctionResponseTypes"));
        assertEquals(7, ((Number) mapping.get("BatchSize")).intValue());
        assertEquals(Map.of("MaximumConcurrency", 3), mapping.get("ScalingConfig"));
        String queue = t.stack.getLogicalId((CfnElement) t.stack.queues().named("webhooks").queue().getNode().getDefaultChild());
        assertEquals(Map.of("Fn::GetAtt", List.of(queue, "Arn")), mapping.get("EventSourceArn"));
    }

    @Test
    void theStreamWorkerReadsTheTablesChangeStreamFromTheOldestRecord_reportingBatchItemFailures() {
        Map<String, Object> mapping = mappingOf(t.stack.workerFunctions().get(STREAM_WORKER.name()));
        assertEquals(List.of("ReportBatchItemFailures"), mapping.get("FunctionResponseTypes"));
        assertEquals("TRIM_HORIZON", mapping.get("StartingPosition"));
        assertEquals(50, ((Number) mapping.get("BatchSize")).intValue());
        String table = t.stack.getLogicalId((CfnElement) t.stack.table().table().getNode().getDefaultChild());
        assertEquals(Map.of("Fn::GetAtt", List.of(table, "StreamArn")), mapping.get("EventSourceArn"));
        Map<String, Object> tableProps = props(t.findResources("AWS::DynamoDB::Table").values().iterator().next());
        assertEquals(Map.of("StreamViewType", "NEW_AND_OLD_IMAGES"), tableProps.get("StreamSpecification"));
    }

    /** Lambda drops every other record before invoking it (and does not bill them): see RouteTable.EVENT_RECORDS. */
    @Test
    void theStreamWorkerIsInvokedOnlyForTheRecordsItWants() throws Exception {
        Map<String, Object> mapping = mappingOf(t.stack.workerFunctions().get(STREAM_WORKER.name()));
        List<Map<String, Object>> filters = (List<Map<String, Object>>) ((Map<String, Object>) mapping.get("FilterCriteria")).get("Filters");
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        List<Object> patterns = new java.util.ArrayList<>();
        for (Map<String, Object> filter : filters) {
            patterns.add(json.readValue((String) filter.get("Pattern"), Object.class));
        }
        assertEquals(List.of(
                Map.of("eventName", List.of("INSERT"), "dynamodb", Map.of("Keys", Map.of("SK", Map.of("S", List.of(Map.of("prefix", "META")))))),
                Map.of("eventName", List.of("INSERT"), "dynamodb", Map.of("Keys", Map.of("SK", Map.of("S", List.of(Map.of("prefix", "S#")))),
                        "NewImage", Map.of("quiet", Map.of("BOOL", List.of(Map.of("exists", false)))))),
                Map.of("eventName", List.of("MODIFY"), "dynamodb", Map.of("Keys", Map.of("SK", Map.of("S", List.of(Map.of("prefix", "S#")))))),
                Map.of("eventName", List.of("INSERT", "MODIFY"), "dynamodb", Map.of("Keys", Map.of("SK", Map.of("S", List.of(Map.of("prefix", "CALL#"))))))),
                patterns);
    }

    @Test
    void aProducerMaySendToExactlyItsQueues_andFindsTheirUrls() {
        RouteFunction producer = t.stack.workerFunctions().get(STREAM_WORKER.name());
        Map<String, Object> role = props(t.findResources("AWS::IAM::Role").get(logicalId(producer.function().getRole())));
        String push = t.stack.getLogicalId((CfnElement) t.stack.queues().named("push").queue().getNode().getDefaultChild());
        boolean sends = false;
        for (Map<String, Object> inline : (List<Map<String, Object>>) role.getOrDefault("Policies", List.of())) {
            for (Map<String, Object> statement : (List<Map<String, Object>>) ((Map<String, Object>) inline.get("PolicyDocument")).get("Statement")) {
                if (String.valueOf(statement.get("Action")).contains("sqs:SendMessage")) {
                    assertEquals(Map.of("Fn::GetAtt", List.of(push, "Arn")), statement.get("Resource"));
                    sends = true;
                }
            }
        }
        assertTrue(sends, "sqs:SendMessage on the push queue");
        Map<String, Object> env = (Map<String, Object>) ((Map<String, Object>) props(function(producer)).get("Environment")).get("Variables");
        assertEquals(Map.of("Ref", push), env.get("SENDSAR_QUEUE_URL_PUSH"));
        assertTrue(env.keySet().stream().filter(k -> k.startsWith("SENDSAR_QUEUE_URL_")).count() == 1, env.keySet().toString());
    }

    private Map<String, Object> mappingOf(RouteFunction worker) {
        String alias = logicalId(worker.alias());
        List<Map<String, Object>> mappings = t.findResources("AWS::Lambda::EventSourceMapping").values().stream()
                .map(WorkerFunctionsTest::props)
                // "<function name>:live", the name taken from the alias ARN
                .filter(m -> String.valueOf(m.get("FunctionName")).contains("{Ref=" + alias + "}")
                        && String.valueOf(m.get("FunctionName")).contains(":" + RouteFunction.ALIAS))
                .toList();
        assertEquals(1, mappings.size(), "one event source, on the alias (SnapStart applies to published versions only)");
        return mappings.get(0);
    }

    private Map<String, Object> function(RouteFunction f) {
        return t.findResources("AWS::Lambda::Function").get(logicalId(f.function()));
    }

    private static String logicalId(software.constructs.IConstruct construct) {
        return Stack.of(construct).getLogicalId((CfnElement) construct.getNode().getDefaultChild());
    }

    private static Map<String, Object> props(Map<String, Object> resource) {
        return (Map<String, Object>) resource.get("Properties");
    }
}
