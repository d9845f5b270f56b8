package dev.sendsar.functions.lambda;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.context.env.Environment;

/**
 * How every function builds its application context on Lambda: the environments of micronaut-function-aws's
 * {@code LambdaApplicationContextBuilder} ({@code function}, {@code lambda}) without its eager initialisation, so
 * singletons and configuration are made on first use instead of all at start. (Its flags cannot be switched back off:
 * {@code eagerInitSingletons(false)} leaves them as they were, hence a builder of our own.)
 * One package holds every route's code, so eager initialisation made each function build every service, controller,
 * AWS SDK client and the JDBC pool of all the others: 360 live beans after a {@code $connect} start, 77 now, and some
 * 1,000 fewer classes loaded. A function builds what its handler injects at construction and what its first request
 * reaches. On SnapStart the handler's own beans are still built before the snapshot ({@code SnapStartPriming} warms
 * the hot paths as before).
 */
public final class OnDemandContext {
    private OnDemandContext() {
    }

    public static ApplicationContextBuilder builder() {
        return ApplicationContext.builder().environments(Environment.FUNCTION, "lambda");
    }
}
