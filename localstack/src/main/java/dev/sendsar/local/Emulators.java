package dev.sendsar.local;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.gaul.s3proxy.CrossOriginResourceSharing;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;

import java.io.IOException;
import java.lang.reflect.Field;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The AWS stand-ins, all in this JVM and on loopback only: DynamoDB Local, ElasticMQ (SQS), s3proxy (S3) and an
 * embedded PostgreSQL for the control plane. With a data directory they keep their data across restarts.
 */
final class Emulators implements AutoCloseable {
    static final String LOOPBACK = "127.0.0.1";
    /** The functions sign for the emulators with these (see AwsClientFactory). */
    static final String S3_ACCESS_KEY = "local";
    static final String S3_SECRET_KEY = "local";

    private final DynamoDBProxyServer dynamo;
    private final int dynamoPort;
    private final SQSRestServer sqs;
    private final int sqsPort;
    private final EmbeddedPostgres postgres;
    private final S3Proxy s3;
    private final int s3Port;
    private final Path scratch;

    private Emulators(DynamoDBProxyServer dynamo, int dynamoPort, SQSRestServer sqs, int sqsPort,
                      EmbeddedPostgres postgres, S3Proxy s3, int s3Port, Path scratch) {
        this.dynamo = dynamo;
        this.dynamoPort = dynamoPort;
        this.sqs = sqs;
        this.sqsPort = sqsPort;
        this.postgres = postgres;
        this.s3 = s3;
        this.s3Port = s3Port;
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
        stopOrphanedPostgres(pgDir);
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(pgDir)
                .setCleanDataDirectory(dataDir == null)
                .setPort(freePort())
                .setServerConfig("listen_addresses", LOOPBACK)
                // stopped by close(), after the gateway has drained: its own JVM hook would stop it under requests
                // still in flight when the runtime gets SIGTERM
                .setRegisterShutdownHook(false)
                .start();

        int s3Port = freePort();
        S3Proxy s3 = startS3(dataDir, s3Port);
        return new Emulators(dynamo, dynamoPort, sqs, sqsPort, postgres, s3, s3Port, scratch);
    }

    /**
     * s3proxy with SigV4 checking (presigned URLs are verified as S3 would) and CORS open to any origin, so a page on
     * another localhost port can PUT to an upload URL. In memory without a data directory, else files under it.
     */
    private static S3Proxy startS3(Path dataDir, int port) throws Exception {
        BlobStore store = dataDir == null ? new TransientNio2BlobStore()
                : new FilesystemNio2BlobStore(Files.createDirectories(dataDir.resolve("s3")).toString());
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(store)
                .endpoint(URI.create("http://" + LOOPBACK + ":" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, S3_ACCESS_KEY, S3_SECRET_KEY)
                .corsRules(new CrossOriginResourceSharing())
                .build();
        proxy.start();
        for (int i = 0; i < 200 && !"STARTED".equals(proxy.getState()); i++) {
            Thread.sleep(25);
        }
        return proxy;
    }

    /**
     * The emulators live in this JVM except PostgreSQL, a child process. A stack that was killed outright (no Ctrl-C)
     * leaves it running and holding the data directory. The caller holds the directory's {@link StackLock}, so no
     * live stack owns it: a postgres whose {@code postmaster.pid} names this very data directory is that orphan and
     * is stopped. (Its parent process tells nothing: a live stack's postgres is re-parented to PID 1 as well.)
     */
    static void stopOrphanedPostgres(Path pgDir) throws IOException {
        Path pidFile = pgDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        long pid;
        Path dataDirectory;
        try {
            List<String> lines = Files.readAllLines(pidFile);
            pid = Long.parseLong(lines.get(0).trim());
            dataDirectory = Path.of(lines.get(1).trim());
        } catch (RuntimeException unreadable) {
            return;
        }
        if (!Files.exists(dataDirectory) || !Files.isSameFile(dataDirectory, pgDir)) {
            return;
        }
        ProcessHandle.of(pid)
                .filter(p -> p.info().command().map(command -> command.endsWith("/postgres")).orElse(false))
                .ifPresent(orphan -> {
                    orphan.destroy();
                    try {
                        orphan.onExit().get(15, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (Exception e) {
                        orphan.destroyForcibly();
                    }
                });
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

    /** Presigned URLs carry this host, so it must be one a browser on this machine reaches. */
    String s3Endpoint() {
        return "http://" + LOOPBACK + ":" + s3Port;
    }

    String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    @Override
    public void close() throws Exception {
        try {
            s3.stop();
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
