package dev.sendsar.local;

import dev.sendsar.routes.LambdaJvm;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Times each function invocation the gateway makes, where Lambda's clock runs: from handing the handler its event to
 * the handler's return (the gateway's own work, building the event and writing the answer, is API Gateway's, not
 * billed as Lambda time). Each invocation becomes an {@link Invocation}: its {@code REPORT} line goes to the logger
 * {@code dev.sendsar.lambda.<function>} at DEBUG (the function's log group, so to speak), and it is handed to the
 * listeners (the bench prices send-message's duration with it). With neither, an invocation costs two clock reads.
 */
final class InvocationReports {
    private static final Logger LOG = LoggerFactory.getLogger(InvocationReports.class);
    private static final String LOGGER_PREFIX = "dev.sendsar.lambda.";

    private final List<Consumer<Invocation>> listeners = new CopyOnWriteArrayList<>();

    /** Runs {@code handler} as the invocation of {@code function} and reports it, whether it returned or threw. */
    <T> T invoke(String function, Supplier<T> handler) {
        return invoke(function, 1, handler);
    }

    /** As {@link #invoke(String, Supplier)}, for an event of {@code records} records (a worker's batch). */
    <T> T invoke(String function, int records, Supplier<T> handler) {
        long started = System.nanoTime();
        try {
            return handler.get();
        } finally {
            report(function, records, System.nanoTime() - started);
        }
    }

    /** {@code listener} hears of every invocation from now on, on the invoking thread, until the result is closed. */
    AutoCloseable listen(Consumer<Invocation> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    private void report(String function, int records, long nanos) {
        Logger log = LoggerFactory.getLogger(LOGGER_PREFIX + function);
        if (listeners.isEmpty() && !log.isDebugEnabled()) {
            return;
        }
        // every function is deployed with the stack's default memory unless a deployment overrides it
        Invocation invocation = new Invocation(function, UUID.randomUUID().toString(), nanos, LambdaJvm.MEMORY_MB, records);
        log.debug(invocation.reportLine());
        for (Consumer<Invocation> listener : listeners) {
            try {
                listener.accept(invocation);
            } catch (RuntimeException e) {
                LOG.warn("An invocation listener failed: {}", e.toString());
            }
        }
    }
}
