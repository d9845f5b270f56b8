package dev.sendsar.local;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;

import java.io.IOException;
import java.lang.reflect.Field;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The AWS stand-ins, all in this JVM and on loopback only: DynamoDB Local, ElasticMQ (SQS) and an embedded
 * PostgreSQL for the control plane. With a data directory they keep their data across restarts.
 */
final class Emulators implements AutoCloseable {
    static final String LOOPBACK = "127.0.0.1";

    private final DynamoDBProxyServer dynamo;
    private final int dynamoPort;
    private final SQSRestServer sqs;
    private final int sqsPort;
    private final EmbeddedPostgres postgres;
    private final Path scratch;

    private Emulators(DynamoDBProxyServer dynamo, int dynamoPort, SQSRestServer sqs, int sqsPort,
                      EmbeddedPostgres postgres, Path scratch) {
        this.dynamo = dynamo;
        this.dynamoPort = dynamoPort;
        this.sqs = sqs;
        this.sqsPort = sqsPort;
        this.postgres = postgres;
        this.scratch = scratch;
    }

    /** {@code dataDir} null keeps everything in memory (and a scratch directory that is deleted on close). */
    static Emulators start(Path dataDir) throws Exception {
        Path scratch = dataDir == null ? Files.createTempDirectory("sendsar-") : null;
        int dynamoPort = freePort();
        List<String> args = new ArrayList<>(List.of("-port", Integer.toString(dynamoPort), "-disableTelemetry"));
        if (dataDir == null) {
            args.add("-inMemory");
        } else {
            Path dir = Files.createDirectories(dataDir.resolve("dynamodb"));
            args.addAll(List.of("-dbPath", dir.toString()));
        }
        args.add("-sharedDb");
        DynamoDBProxyServer dynamo = ServerRunner.createServerFromCommandLineArgs(args.toArray(String[]::new));
        bindToLoopback(dynamo);
        dynamo.start();

        int sqsPort = freePort();
        SQSRestServer sqs = SQSRestServerBuilder.withPort(sqsPort).withInterface(LOOPBACK).start();
        sqs.waitUntilStarted();

        Path pgDir = dataDir == null ? scratch.resolve("postgres") : dataDir.resolve("postgres");
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(pgDir)
                .setCleanDataDirectory(dataDir == null)
                .setPort(freePort())
                .setServerConfig("listen_addresses", LOOPBACK)
                .start();
        return new Emulators(dynamo, dynamoPort, sqs, sqsPort, postgres, scratch);
    }

    /** DynamoDB Local has no host option; its Jetty connector is set to loopback before it starts. */
    private static void bindToLoopback(DynamoDBProxyServer server) throws ReflectiveOperationException {
        Field field = DynamoDBProxyServer.class.getDeclaredField("server");
        field.setAccessible(true);
        Server jetty = (Server) field.get(server);
        for (Connector connector : jetty.getConnectors()) {
            if (connector instanceof ServerConnector serverConnector) {
                serverConnector.setHost(LOOPBACK);
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getByName(LOOPBACK))) {
            return socket.getLocalPort();
        }
    }

    String dynamoEndpoint() {
        return "http://" + LOOPBACK + ":" + dynamoPort;
    }

    String sqsEndpoint() {
        return "http://" + LOOPBACK + ":" + sqsPort;
    }

    String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    @Override
    public void close() throws Exception {
        try {
            postgres.close();
        } finally {
            try {
                sqs.stopAndWait();
            } finally {
                dynamo.stop();
                if (scratch != null) {
                    deleteTree(scratch);
                }
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
