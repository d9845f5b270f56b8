package dev.sendsar.functions.lambda;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.context.DefaultApplicationContext;
import io.micronaut.context.DefaultApplicationContextBuilder;
import io.micronaut.context.env.Environment;
import io.micronaut.core.io.service.SoftServiceLoader;
import io.micronaut.core.optim.StaticOptimizations;
import io.micronaut.inject.BeanDefinitionReference;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

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
 *
 * <p>A deployed function also builds only what its route uses ({@link FunctionRoute}): a REST function only the
 * controller of its route. A WebSocket function or a worker reads no definition of the REST side at all: not
 * Micronaut's HTTP modules (server, router, codecs, binders, API proxy), not Micronaut Security, not the REST
 * application's own beans ({@link #REST_SIDE}). Disabling them would not do: a bean definition's class initializer
 * loads the bean's class, its methods' types and annotations whether or not the bean is ever built, and every
 * definition of the package is read at start. Without a route (the local runtime, tests) nothing is left out.
 */
public final class OnDemandContext {
    /**
     * The REST side, by package: what no WebSocket function or worker uses. Controllers elsewhere are left out by their
     * name (every controller is a {@code …Controller}); one named otherwise would still be disabled by
     * {@link FunctionRoute}, only read.
     */
    static final List<String> REST_SIDE = List.of("io.micronaut.http.", "io.micronaut.web.router.",
            "io.micronaut.servlet.", "io.micronaut.function.aws.proxy.", "io.micronaut.security.",
            "dev.sendsar.functions.rest.");

    private OnDemandContext() {
    }

    /** A deployed function's builder, for the route in its environment; it also starts {@link ClassPreloader}. */
    public static ApplicationContextBuilder builder() {
        Optional<String> route = FunctionRoute.ofThisProcess();
        ClassPreloader.start(route);
        return builder(route);
    }

    /** A function's builder for {@code route} (its name in the route table), or for every route. */
    public static ApplicationContextBuilder builder(Optional<String> route) {
        boolean http = route.map(FunctionRoute::isHttp).orElse(true);
        ApplicationContextBuilder builder = http ? ApplicationContext.builder() : new WithoutRestSide();
        builder.environments(Environment.FUNCTION, "lambda");
        route.ifPresent(name -> builder.properties(Map.of(FunctionRoute.PROPERTY, name)));
        return builder;
    }

    static boolean restSide(String definitionName) {
        int simpleName = definitionName.lastIndexOf('.') + 1;
        return REST_SIDE.stream().anyMatch(definitionName::startsWith)
                || definitionName.startsWith("$", simpleName) && definitionName.indexOf("Controller$", simpleName) > 0;
    }

    /** The builder of a context whose bean definitions leave out {@link #REST_SIDE}. */
    private static final class WithoutRestSide extends DefaultApplicationContextBuilder {
        @Override
        protected ApplicationContext newApplicationContext() {
            return new DefaultApplicationContext(this) {
                private List<BeanDefinitionReference> definitions;

                @Override
                protected List<BeanDefinitionReference> resolveBeanDefinitionReferences() {
                    if (definitions == null) {
                        definitions = withoutRestSide(() -> super.resolveBeanDefinitionReferences());
                    }
                    return definitions;
                }
            };
        }
    }

    /**
     * The bean definitions but the REST side's. The Lambda package lists them at build time (Micronaut AOT): those
     * are filtered by name before any is loaded. Elsewhere (tests) every definition is loaded and then filtered.
     */
    @SuppressWarnings("unchecked")
    static List<BeanDefinitionReference> withoutRestSide(Supplier<List<BeanDefinitionReference>> all) {
        var listed = (SoftServiceLoader.StaticServiceLoader<BeanDefinitionReference>) StaticOptimizations
                .get(SoftServiceLoader.Optimizations.class)
                .map(optimizations -> optimizations.getServiceLoaders().get(BeanDefinitionReference.class.getName()))
                .orElse(null);
        if (listed != null) {
            return listed.load(name -> !restSide(name), BeanDefinitionReference::isPresent);
        }
        return all.get().stream().filter(definition -> !restSide(definition.getBeanDefinitionName())).toList();
    }
}
