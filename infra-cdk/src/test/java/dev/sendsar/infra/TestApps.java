package dev.sendsar.infra;

import com.fasterxml.jackson.databind.ObjectMapper;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.StackProps;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** Apps built like the CLI builds them: cdk.json's feature flags, an outdir under target/, no real code package. */
final class TestApps {
    private TestApps() {
    }

    static App app(Map<String, Object> extraContext) {
        Map<String, Object> context = new HashMap<>(cdkJsonContext());
        // Tests must not depend on whether someone built the -Plambda jar.
        context.put("lambdaJar", "target/no-lambda-jar-in-tests.jar");
        context.putAll(extraContext);
        return new App(AppProps.builder()
                .outdir("target/cdk-test-out/" + UUID.randomUUID())
                .context(context)
                .build());
    }

    static SendsarStack stack(Map<String, Object> extraContext) {
        App app = app(extraContext);
        return new SendsarStack(app, "SendsarTest", StackProps.builder().build(), DeploymentSettings.fromContext(app.getNode()));
    }

    /**
     * The default deployment, synthesized once for every test class that only reads it (a synth takes seconds, and
     * jsii starts slowly): its stack and its templates read as one.
     */
    static final class Default {
        static final SendsarStack STACK = stack(Map.of());
        static final StackTemplates TEMPLATES = new StackTemplates(STACK);

        private Default() {
        }
    }

    /** A stack deploying {@code routes} instead of the route table's. */
    static SendsarStack stack(RouteSet routes) {
        App app = app(Map.of());
        return new SendsarStack(app, "SendsarTest", StackProps.builder().build(), DeploymentSettings.fromContext(app.getNode()), routes);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cdkJsonContext() {
        try {
            Map<String, Object> cdkJson = new ObjectMapper().readValue(Path.of("cdk.json").toFile(), Map.class);
            return (Map<String, Object>) cdkJson.get("context");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
