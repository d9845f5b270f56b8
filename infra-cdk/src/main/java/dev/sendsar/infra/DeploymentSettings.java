package dev.sendsar.infra;

import dev.sendsar.routes.LambdaJvm;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Node;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The knobs of a deployment, read from CDK context ({@code cdk.json} or {@code -c key=value}) and checked once, so a
 * typo fails the synth instead of deploying something unintended. docs/deploy.md lists them.
 */
public record DeploymentSettings(
        Path lambdaJar,
        boolean requireLambdaJar,
        int memoryMb,
        Map<String, Integer> memoryByRoute,
        Map<String, Integer> reservedConcurrencyByRoute,
        RetentionDays logRetention,
        Optional<CustomDomain> customDomain,
        List<String> corsOrigins,
        Optional<String> alarmEmail,
        boolean retainData,
        Throttle httpThrottle,
        Throttle webSocketThrottle) {

    /** Where the {@code -Plambda} build of the functions module puts the code package, seen from infra-cdk/. */
    public static final String DEFAULT_LAMBDA_JAR = "../functions/target/sendsar-functions-0.1.0-SNAPSHOT-lambda.jar";

    /** Lambda's ceiling; below ~512 MB the JVM's share of CPU makes even warm Java requests slow. */
    private static final int MIN_MEMORY_MB = 512;
    private static final int MAX_MEMORY_MB = 10_240;

    private static final Map<Integer, RetentionDays> RETENTION = Map.ofEntries(
            Map.entry(1, RetentionDays.ONE_DAY), Map.entry(3, RetentionDays.THREE_DAYS),
            Map.entry(5, RetentionDays.FIVE_DAYS), Map.entry(7, RetentionDays.ONE_WEEK),
            Map.entry(14, RetentionDays.TWO_WEEKS), Map.entry(30, RetentionDays.ONE_MONTH),
            Map.entry(60, RetentionDays.TWO_MONTHS), Map.entry(90, RetentionDays.THREE_MONTHS),
            Map.entry(180, RetentionDays.SIX_MONTHS), Map.entry(365, RetentionDays.ONE_YEAR));

    /**
     * A stage's throttle: requests (HTTP) or messages and connects (WebSocket) per second across all clients, and the
     * burst above it. API Gateway answers 429 beyond it before any function runs; per-user and per-tenant limits in
     * the functions (docs/decisions.md, Rate limits) are the finer net.
     */
    public record Throttle(int ratePerSecond, int burst) {
        public Throttle {
            if (ratePerSecond < 1 || burst < 1 || burst > 5_000) {
                throw new IllegalArgumentException("throttle rate must be 1 or more and burst 1…5000 (API Gateway's ceiling)");
            }
        }
    }

    /** A custom domain for the HTTP API and one for the WebSocket API, both covered by one ACM certificate. */
    public record CustomDomain(String apiDomainName, String webSocketDomainName, String certificateArn) {
        public CustomDomain {
            if (apiDomainName.equals(webSocketDomainName)) {
                throw new IllegalArgumentException("apiDomainName and wsDomainName must differ: one API each");
            }
            if (!certificateArn.startsWith("arn:")) {
                throw new IllegalArgumentException("certificateArn must be an ACM certificate ARN");
            }
        }
    }

    public DeploymentSettings {
        memoryByRoute = Map.copyOf(memoryByRoute);
        reservedConcurrencyByRoute = Map.copyOf(reservedConcurrencyByRoute);
        corsOrigins = List.copyOf(corsOrigins);
        checkMemory("memoryMb", memoryMb);
        memoryByRoute.forEach((route, mb) -> checkMemory("memoryMb." + route, mb));
        reservedConcurrencyByRoute.forEach((route, n) -> {
            if (n < 0) {
                throw new IllegalArgumentException("reservedConcurrency." + route + " must be 0 or more");
            }
        });
        if (corsOrigins.isEmpty()) {
            throw new IllegalArgumentException("corsOrigins needs at least one origin ('*' for any)");
        }
    }

    /** The defaults: what a plain {@code cdk synth} deploys. */
    public static DeploymentSettings defaults() {
        return new DeploymentSettings(Path.of(DEFAULT_LAMBDA_JAR), false, LambdaJvm.MEMORY_MB, Map.of(), Map.of(),
                RetentionDays.ONE_MONTH, Optional.empty(), List.of("*"), Optional.empty(), true,
                new Throttle(1_000, 2_000), new Throttle(500, 1_000));
    }

    public static DeploymentSettings fromContext(Node node) {
        DeploymentSettings d = defaults();
        Map<String, Integer> memoryByRoute = new java.util.TreeMap<>();
        Map<String, Integer> reserved = new java.util.TreeMap<>();
        for (String route : RouteAccessTable.routeNames()) {
            string(node, "memoryMb." + route).map(v -> integer("memoryMb." + route, v)).ifPresent(v -> memoryByRoute.put(route, v));
            string(node, "reservedConcurrency." + route).map(v -> integer("reservedConcurrency." + route, v))
                    .ifPresent(v -> reserved.put(route, v));
        }
        Optional<String> apiDomain = string(node, "apiDomainName");
        Optional<CustomDomain> domain = apiDomain.map(api -> new CustomDomain(api,
                string(node, "wsDomainName").orElseThrow(() -> new IllegalArgumentException("apiDomainName needs wsDomainName")),
                string(node, "certificateArn").orElseThrow(() -> new IllegalArgumentException("apiDomainName needs certificateArn"))));
        int retentionDays = string(node, "logRetentionDays").map(v -> integer("logRetentionDays", v)).orElse(30);
        RetentionDays retention = Optional.ofNullable(RETENTION.get(retentionDays)).orElseThrow(() ->
                new IllegalArgumentException("logRetentionDays must be one of " + new java.util.TreeSet<>(RETENTION.keySet())));
        return new DeploymentSettings(
                string(node, "lambdaJar").map(Path::of).orElse(d.lambdaJar()),
                string(node, "requireLambdaJar").map(Boolean::parseBoolean).orElse(false),
                string(node, "memoryMb").map(v -> integer("memoryMb", v)).orElse(d.memoryMb()),
                memoryByRoute, reserved, retention, domain,
                string(node, "corsOrigins").map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
                        .orElse(d.corsOrigins()),
                string(node, "alarmEmail"),
                string(node, "retainData").map(Boolean::parseBoolean).orElse(true),
                throttle(node, "http", d.httpThrottle()), throttle(node, "ws", d.webSocketThrottle()));
    }

    /** {@code <api>ThrottleRate} and {@code <api>ThrottleBurst}, each defaulting on its own. */
    private static Throttle throttle(Node node, String api, Throttle defaults) {
        return new Throttle(
                string(node, api + "ThrottleRate").map(v -> integer(api + "ThrottleRate", v)).orElse(defaults.ratePerSecond()),
                string(node, api + "ThrottleBurst").map(v -> integer(api + "ThrottleBurst", v)).orElse(defaults.burst()));
    }

    public int memoryOf(String route) {
        return memoryByRoute.getOrDefault(route, memoryMb);
    }

    public Optional<Integer> reservedConcurrencyOf(String route) {
        return Optional.ofNullable(reservedConcurrencyByRoute.get(route));
    }

    private static Optional<String> string(Node node, String key) {
        Object value = node.tryGetContext(key);
        return value == null || value.toString().isBlank() ? Optional.empty() : Optional.of(value.toString().trim());
    }

    private static int integer(String key, String value) {
        try {
            return (int) Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number, got '" + value + "'");
        }
    }

    private static void checkMemory(String key, int mb) {
        if (mb < MIN_MEMORY_MB || mb > MAX_MEMORY_MB) {
            throw new IllegalArgumentException(key + " must be " + MIN_MEMORY_MB + ".." + MAX_MEMORY_MB + " MB, got " + mb);
        }
    }
}
