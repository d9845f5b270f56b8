package dev.sendsar.functions;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.sendsar.functions.workers.SqsWorkerFunction;
import dev.sendsar.functions.workers.TableStreamWorkerFunction;
import dev.sendsar.functions.ws.ActionHandler;
import dev.sendsar.routes.RouteTable;
import io.micronaut.core.reflect.GenericTypeUtils;
import io.micronaut.function.aws.MicronautRequestHandler;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every event-driven function class is in the route table and every table entry has its class: a worker nobody
 * deploys, a deployed worker without code, or a WebSocket action that would answer {@code unknown_action} in
 * production fails here instead.
 */
class FunctionCatalogTest {

    @Test
    void everyWorkerHasItsHandlerAndEveryWorkerHandlerIsListed() throws Exception {
        assertEquals(List.of(), problems(RouteTable.WORKERS, handlerClasses()));
    }

    @Test
    void aMissingOrUnlistedWorkerHandlerIsCaught() throws Exception {
        var ghost = RouteTable.Worker.sqs("ghost", "dev.sendsar.NoSuchWorker", "webhooks", 30, 10, 2);
        var wrongKind = RouteTable.Worker.tableStream("wrong-kind", SampleSqsWorker.class.getName(), 30, 100, java.util.List.of());
        List<String> problems = problems(List.of(ghost, wrongKind), Set.of(SampleSqsWorker.class));
        assertTrue(problems.stream().anyMatch(p -> p.contains("ghost") && p.contains("no class")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("wrong-kind") && p.contains("TableStreamWorkerFunction")), problems.toString());
        assertTrue(problems(List.of(), Set.of(SampleSqsWorker.class)).stream()
                .anyMatch(p -> p.contains(SampleSqsWorker.class.getName()) && p.contains("not in RouteTable.WORKERS")));
    }

    @Test
    void everyWebSocketActionRouteIsHandledAndEveryHandledActionIsRouted() throws Exception {
        Set<String> routed = RouteTable.WEBSOCKET.stream()
                .filter(r -> r.handler().equals(RouteTable.ACTION_HANDLER) && !r.routeKey().startsWith("$"))
                .map(RouteTable.WsRoute::routeKey).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(ActionHandler.actions()), routed);

        Set<String> webSocketHandlers = handlerClasses().stream()
                .filter(c -> inputOf(c) == APIGatewayV2WebSocketEvent.class).map(Class::getName)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> declared = RouteTable.WEBSOCKET.stream().map(RouteTable.WsRoute::handler)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(declared, webSocketHandlers);
    }

    @Test
    void everySqsWorkerConsumesAKnownQueueWithEnoughVisibility() {
        for (RouteTable.Worker worker : RouteTable.WORKERS) {
            if (worker.trigger() == RouteTable.Trigger.SQS) {
                RouteTable.Queue queue = RouteTable.queue(worker.queue());
                assertTrue(queue.visibilitySeconds() >= 6 * worker.timeoutSeconds(),
                        worker.name() + ": " + queue.name() + " visibility must be at least 6x the worker's timeout");
            }
        }
        assertEquals(RouteTable.WORKERS.size(), RouteTable.WORKERS.stream().map(RouteTable.Worker::name).distinct().count());
    }

    /** What is wrong between the listed workers and the worker classes that exist. */
    static List<String> problems(List<RouteTable.Worker> workers, Set<Class<?>> handlers) {
        List<String> problems = new ArrayList<>();
        Set<String> listed = new TreeSet<>();
        for (RouteTable.Worker worker : workers) {
            listed.add(worker.handler());
            Class<?> type;
            try {
                type = Class.forName(worker.handler());
            } catch (ClassNotFoundException e) {
                problems.add(worker.name() + ": no class " + worker.handler());
                continue;
            }
            Class<?> base = worker.trigger() == RouteTable.Trigger.SQS ? SqsWorkerFunction.class : TableStreamWorkerFunction.class;
            if (!base.isAssignableFrom(type) || Modifier.isAbstract(type.getModifiers())) {
                problems.add(worker.name() + ": " + type.getName() + " is not a concrete " + base.getSimpleName());
            }
            try {
                type.getConstructor(io.micronaut.context.ApplicationContext.class);
                type.getConstructor();
            } catch (NoSuchMethodException e) {
                problems.add(worker.name() + ": " + type.getName() + " needs a no-arg (Lambda) and an ApplicationContext (local) constructor");
            }
        }
        for (Class<?> handler : handlers) {
            Class<?> input = inputOf(handler);
            if ((input == SQSEvent.class || input == DynamodbEvent.class) && !listed.contains(handler.getName())) {
                problems.add(handler.getName() + " is a worker but not in RouteTable.WORKERS");
            }
        }
        return problems;
    }

    /** The request type of a Lambda handler class. */
    private static Class<?> inputOf(Class<?> handler) {
        Class<?>[] arguments = GenericTypeUtils.resolveSuperTypeGenericArguments(handler, MicronautRequestHandler.class);
        return arguments.length == 0 ? null : arguments[0];
    }

    /** Every concrete Lambda handler class compiled in the functions module. */
    private static Set<Class<?>> handlerClasses() throws IOException, URISyntaxException {
        Path root = Path.of(ActionHandler.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Set<Class<?>> handlers = new java.util.HashSet<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class") && !f.toString().contains("$")).toList()) {
                String name = root.relativize(file).toString().replace(java.io.File.separatorChar, '.').replaceAll("\\.class$", "");
                Class<?> type;
                try {
                    type = Class.forName(name, false, FunctionCatalogTest.class.getClassLoader());
                } catch (ClassNotFoundException | LinkageError e) {
                    continue;
                }
                if (MicronautRequestHandler.class.isAssignableFrom(type) && !Modifier.isAbstract(type.getModifiers())) {
                    handlers.add(type);
                }
            }
        }
        return handlers;
    }

    /** A worker that exists only to show the check catches an unlisted one. */
    static class SampleSqsWorker extends SqsWorkerFunction {
        @Override
        protected void handle(SQSEvent.SQSMessage message) {
        }
    }
}
