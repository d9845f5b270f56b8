package dev.sendsar.bench;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Times every AWS SDK call the functions make while a window is open, without touching product code: the SDK
 * loads it for every client from {@code software/amazon/awssdk/global/handlers/execution.interceptors} on the
 * classpath. Outside a window it does nothing but one volatile read per call. Only the latency bench's JVM has it;
 * the cold-start children run without the bench classes.
 */
public final class SdkCallTimer implements ExecutionInterceptor {
    /** One SDK call: {@code service.operation}, when it started and how long it took, end to end in the client. */
    public record Call(String name, long startNanos, long nanos, boolean failed) {
    }

    private static final ExecutionAttribute<Long> START = new ExecutionAttribute<>("sendsar.bench.start");
    private static volatile boolean recording;
    private static final ConcurrentLinkedQueue<Call> CALLS = new ConcurrentLinkedQueue<>();

    /** Opens a window: calls that start from now on are recorded. */
    public static void begin() {
        CALLS.clear();
        recording = true;
    }

    /** Closes the window and returns the calls it saw, in order of completion. */
    public static List<Call> end() {
        recording = false;
        List<Call> calls = new ArrayList<>(CALLS);
        CALLS.clear();
        return calls;
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (recording) {
            attributes.putAttribute(START, System.nanoTime());
        }
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        record(attributes, false);
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        record(attributes, true);
    }

    private static void record(ExecutionAttributes attributes, boolean failed) {
        Long start = attributes.getAttribute(START);
        if (start == null) {
            return;
        }
        long now = System.nanoTime();
        String name = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + "."
                + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        CALLS.add(new Call(name, start, now - start, failed));
    }
}
