package dev.sendsar.local;

import dev.sendsar.auth.SessionTokenSigner;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import dev.sendsar.config.SendsarConfig;
import dev.sendsar.controlplane.ControlPlaneSchema;
import dev.sendsar.dynamo.TableDefinition;
import dev.sendsar.functions.ws.ActionHandler;
import dev.sendsar.functions.ws.ConnectHandler;
import dev.sendsar.functions.ws.DisconnectHandler;
import dev.sendsar.functions.rest.RestFunction;
import dev.sendsar.ports.TenantDirectory;
import dev.sendsar.routes.LambdaJvm;
import dev.sendsar.routes.RouteTable;
import io.micronaut.context.ApplicationContext;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyExistsException;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The whole product in one JVM: the embedded emulators, the real function classes, and API Gateway in front of
 * them. Used by {@link LocalRuntime} (the one command), by end-to-end tests and by the benchmarks.
 */
public final class LocalStack implements AutoCloseable {
    public static final String DEV_TENANT = "dev";
    static final String WS_PATH = "/ws";
    static final String UPLOADS_BUCKET = "sendsar-uploads";

    /** {@code home} null runs everything in memory; port 0 takes any free port. */
    public record Options(int port, Path home) {
        public static Options inMemory() {
            return new Options(0, null);
        }
    }

    private final Emulators emulators;
    private final ApplicationContext context;
    private final LocalGateway gateway;
    private final InvocationReports reports;
    private final LocalWorkers workers;
    private final LocalSecrets secrets;
    private final String apiKey;
    private final StackLock lock;
    private final PendingUploadSweeper sweeper;

    private LocalStack(StackLock lock, Emulators emulators, ApplicationContext context, LocalGateway gateway,
                       InvocationReports reports, LocalWorkers workers, LocalSecrets secrets, String apiKey,
                       PendingUploadSweeper sweeper) {
        this.lock = lock;
        this.sweeper = sweeper;
        this.emulators = emulators;
        this.context = context;
        this.gateway = gateway;
        this.reports = reports;
        this.workers = workers;
        this.secrets = secrets;
        this.apiKey = apiKey;
    }

    /** Starts the stack; with a home, refuses (IllegalStateException) while another stack runs on the same home. */
    public static LocalStack start(Options options) throws Exception {
        // before any HTTP connection is made: the JDK reads them once (what is set already, e.g. on the command line, stays)
        LambdaJvm.SYSTEM_PROPERTIES.forEach((name, value) -> {
            if (System.getProperty(name) == null) {
                System.setProperty(name, value);
            }
        });
        Path data = options.home() == null ? null : options.home().resolve("data");
        StackLock lock = data == null ? null : StackLock.acquire(data);
        Emulators emulators;
        LocalSecrets secrets;
        try {
            secrets = LocalSecrets.load(data == null ? null : data.resolve("secrets.properties"));
            emulators = Emulators.start(data);
        } catch (Exception | Error e) {
            if (lock != null) {
                lock.close();
            }
            throw e;
        }
        try {
            int port = options.port() == 0 ? Emulators.freePort() : options.port();
            Map<String, Object> properties = new HashMap<>();
            properties.put("sendsar.table", "sendsar");
            properties.put("sendsar.dynamodb-endpoint", emulators.dynamoEndpoint());
            properties.put("sendsar.sqs-endpoint", emulators.sqsEndpoint());
            properties.put("sendsar.s3-endpoint", emulators.s3Endpoint());
            properties.put("sendsar.uploads-bucket", UPLOADS_BUCKET);
            properties.put("sendsar.ws-url", "ws://localhost:" + port + WS_PATH);
            properties.put("sendsar.ws-callback-url", "http://" + Emulators.LOOPBACK + ":" + port);
            // As on AWS, every function verifies with the public keys only; the private set is what SessionTokenSigner
            // (token minting) reads, here from the local secrets file instead of Secrets Manager.
            properties.put("sendsar.jwt-public-keys", SessionTokenSigner.publicKeysOf(secrets.jwtKeys()));
            properties.put("sendsar.jwt-keys", secrets.jwtKeys());
            properties.put("sendsar.admin-key", secrets.adminKey());
            properties.put("sendsar.webhooks.secret-key", secrets.webhookSecretKey());
            // A receiver on this machine is the point of a local stack; every other private address stays refused.
            properties.put("sendsar.webhooks.allow-loopback", true);
            properties.put("datasources.default.url", emulators.jdbcUrl());
            properties.put("datasources.default.username", "postgres");
            properties.put("datasources.default.password", "postgres");
            ApplicationContext context = ApplicationContext.builder().properties(properties).start();
            String streamArn = TableDefinition.ensure(context.getBean(DynamoDbClient.class), context.getBean(SendsarConfig.class).getTable());
            context.getBean(ControlPlaneSchema.class).create();
            ensureBucket(context.getBean(S3Client.class));
            Map<String, LocalQueues.Urls> queues = LocalQueues.ensure(context.getBean(SqsClient.class), RouteTable.QUEUES);

            InvocationReports reports = new InvocationReports();
            LocalGateway gateway = new LocalGateway(functions(context, reports), WS_PATH).start(port);
            String apiKey = devTenantKey(context, secrets, port);
            if (data != null) {
                PendingDeliveries.requeue(context);
            }
            LocalWorkers workers = LocalWorkers.start(context, RouteTable.WORKERS, queues, emulators.dynamoEndpoint(),
                    streamArn, data, reports);
            PendingUploadSweeper sweeper = new PendingUploadSweeper(context.getBean(S3Client.class), UPLOADS_BUCKET).start();
            return new LocalStack(lock, emulators, context, gateway, reports, workers, secrets, apiKey, sweeper);
        } catch (Exception | Error e) {
            try {
                emulators.close();
            } finally {
                if (lock != null) {
                    lock.close();
                }
            }
            throw e;
        }
    }

    private static void ensureBucket(S3Client s3) {
        try {
            s3.createBucket(b -> b.bucket(UPLOADS_BUCKET));
        } catch (BucketAlreadyOwnedByYouException | BucketAlreadyExistsException exists) {
            // created on an earlier start
        }
    }

    /**
     * One instance of each function class, all sharing one application context, as one JVM can afford; each call is
     * an invocation of the route's own function, as Lambda would bill it (see {@link InvocationReports}).
     */
    private static LocalGateway.Functions functions(ApplicationContext context, InvocationReports reports) {
        RestFunction rest = new RestFunction(context);
        Map<String, java.util.function.Function<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse>> ws = Map.of(
                RouteTable.CONNECT_HANDLER, new ConnectHandler(context)::execute,
                RouteTable.DISCONNECT_HANDLER, new DisconnectHandler(context)::execute,
                RouteTable.ACTION_HANDLER, new ActionHandler(context)::execute);
        Map<String, String> httpFunctions = new HashMap<>();
        RouteTable.HTTP.forEach(route -> httpFunctions.put(route.routeKey(), route.name()));
        return new LocalGateway.Functions() {
            @Override
            public APIGatewayV2HTTPResponse http(APIGatewayV2HTTPEvent event) {
                return reports.invoke(httpFunctions.getOrDefault(event.getRouteKey(), "$default"),
                        () -> rest.handleRequest(event, null));
            }

            @Override
            public APIGatewayV2WebSocketResponse webSocket(RouteTable.WsRoute route, APIGatewayV2WebSocketEvent event) {
                return reports.invoke(route.name(), () -> ws.get(route.handler()).apply(event));
            }
        };
    }

    /**
     * {@code listener} hears of every function invocation from now on (REST and WebSocket routes the gateway
     * invokes, and the workers their event sources invoke), with its duration as Lambda would bill it, until the result is closed.
     */
    public AutoCloseable onInvocation(java.util.function.Consumer<Invocation> listener) {
        return reports.listen(listener);
    }

    /** The dev tenant exists from the first start on; it is created through the operator API like any tenant. */
    private static String devTenantKey(ApplicationContext context, LocalSecrets secrets, int port)
            throws IOException, InterruptedException {
        boolean exists = context.getBean(TenantDirectory.class).findTenant(DEV_TENANT).isPresent();
        if (exists && secrets.devApiKey() != null) {
            return secrets.devApiKey();
        }
        HttpClient http = HttpClient.newHttpClient();
        String body = exists
                ? null
                : "{\"id\":\"" + DEV_TENANT + "\",\"name\":\"Local development\"}";
        String path = exists ? "/v1/admin/tenants/" + DEV_TENANT + "/api-keys" : "/v1/admin/tenants";
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://" + Emulators.LOOPBACK + ":" + port + path))
                .header("x-admin-key", secrets.adminKey())
                .header("content-type", "application/json")
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
        Matcher key = Pattern.compile("\"apiKey\"\\s*:\\s*\"(sk_[A-Za-z0-9]+)\"").matcher(response.body());
        if (response.statusCode() != 201 || !key.find()) {
            throw new IllegalStateException("Could not create the dev tenant: HTTP " + response.statusCode());
        }
        secrets.devApiKey(key.group(1));
        return key.group(1);
    }

    public int port() {
        return gateway.port();
    }

    /** TCP connections the gateway accepted since the start: clients', and the functions' {@code @connections} posts. */
    long connectionsAccepted() {
        return gateway.connectionsAccepted();
    }

    public String apiUrl() {
        return "http://localhost:" + port() + "/v1";
    }

    public String wsUrl() {
        return "ws://localhost:" + port() + WS_PATH;
    }

    public String apiKey() {
        return apiKey;
    }

    public String adminKey() {
        return secrets.adminKey();
    }

    /** Deletes objects of uploads never completed that were written before {@code cutoff} (run hourly anyway). */
    int sweepPendingUploads(java.time.Instant cutoff) {
        return sweeper.sweep(cutoff);
    }

    /** The functions' context, for tests that look behind the API (never for what the API itself can show). */
    public ApplicationContext context() {
        return context;
    }

    /** Writes {@code local.env} (owner-only: it holds the keys) so scripts and tests can find the stack. */
    public Path writeEnvFile(Path home) throws IOException {
        Path file = home.resolve("local.env");
        OwnerOnlyFile.write(file, "SENDSAR_API_URL=" + apiUrl() + "\n"
                + "SENDSAR_WS_URL=" + wsUrl() + "\n"
                + "SENDSAR_API_KEY=" + apiKey + "\n"
                + "SENDSAR_ADMIN_KEY=" + adminKey() + "\n");
        return file;
    }

    /** Whether no request or frame is being handled: what tests wait for before counting what arrived. */
    boolean idle() {
        return gateway.idle();
    }

    /** Drains the gateway (requests in flight are answered), then stops the functions and the emulators. */
    @Override
    public void close() throws Exception {
        try {
            sweeper.close();
            gateway.close();
            workers.close();
            context.close();
        } finally {
            try {
                emulators.close();
            } finally {
                if (lock != null) {
                    lock.close();
                }
            }
        }
    }
}
