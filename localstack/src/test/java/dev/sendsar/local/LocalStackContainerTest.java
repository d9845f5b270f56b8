package dev.sendsar.local;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.sendsar.domain.Member;
import dev.sendsar.domain.Role;
import dev.sendsar.domain.Room;
import dev.sendsar.dynamo.TableDefinition;
import dev.sendsar.ports.RoomRepository;
import dev.sendsar.routes.RouteTable;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The AWS adapters against LocalStack community (DynamoDB, SQS, S3) in Docker, for those who have it; skipped
 * without Docker (as on the machines this was written on, where it has never run: see localstack/README.md).
 * API Gateway WebSockets are not in LocalStack community, so the realtime path is covered by the embedded stack only.
 */
@Testcontainers(disabledWithoutDocker = true)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalStackContainerTest {
    /** The last tag that runs without an auth token. */
    @Container
    static final LocalStackContainer LOCALSTACK = new LocalStackContainer(DockerImageName.parse("localstack/localstack:4.14.0"))
            .withServices("dynamodb", "sqs", "s3");

    private ApplicationContext context;

    @BeforeAll
    void start() {
        String endpoint = LOCALSTACK.getEndpoint().toString();
        context = ApplicationContext.builder().properties(Map.of(
                "sendsar.table", "sendsar",
                "sendsar.region", LOCALSTACK.getRegion(),
                "sendsar.dynamodb-endpoint", endpoint,
                "sendsar.sqs-endpoint", endpoint,
                "sendsar.s3-endpoint", endpoint,
                "sendsar.uploads-bucket", "uploads",
                "sendsar.ws-callback-url", "http://127.0.0.1:9",
                "micronaut.server.port", -1)).start();
        TableDefinition.ensure(context.getBean(DynamoDbClient.class), "sendsar");
    }

    @AfterAll
    void stop() {
        if (context != null) {
            context.close();
        }
    }

    @Test
    void roomRepositoryRoundTripsOnLocalStackDynamoDb() {
        RoomRepository rooms = context.getBean(RoomRepository.class);
        String now = "2026-01-01T00:00:00.000Z";
        Room room = new Room(UUID.randomUUID().toString(), "on localstack", null, null, null, Map.of(), false, 0, null, null,
                List.of("ann"), 0, now, now);
        rooms.create("t1", room, List.of(Member.joining(room.id(), "ann", "ann", Role.OPERATOR, now)));
        assertEquals("on localstack", rooms.find("t1", room.id()).orElseThrow().name());
        assertEquals(List.of("ann"), rooms.members("t1", room.id()).stream().map(Member::userId).toList());
    }

    @Test
    void anSqsWorkerRoundTripRetriesOnlyTheFailedMessageThenDeadLettersIt() throws Exception {
        SqsClient sqs = context.getBean(SqsClient.class);
        RouteTable.Queue spec = new RouteTable.Queue("ls-" + UUID.randomUUID().toString().substring(0, 8), "test", 1, 2);
        LocalQueues.Urls queue = LocalQueues.ensure(sqs, List.of(spec)).get(spec.name());
        String deadLetters = sqs.getQueueUrl(b -> b.queueName(spec.deadLetterName())).queueUrl();
        Map<String, List<String>> receives = new ConcurrentHashMap<>();
        try (SqsPoller ignored = new SqsPoller(sqs, RouteTable.Worker.sqs("ls-worker", "unused", spec.name(), 1, 10, 2), queue,
                event -> {
                    List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
                    for (SQSEvent.SQSMessage m : event.getRecords()) {
                        receives.computeIfAbsent(m.getBody(), k -> new CopyOnWriteArrayList<>()).add(m.getMessageId());
                        if (m.getBody().equals("bad")) {
                            failures.add(new SQSBatchResponse.BatchItemFailure(m.getMessageId()));
                        }
                    }
                    return new SQSBatchResponse(failures);
                })) {
            sqs.sendMessage(b -> b.queueUrl(queue.url()).messageBody("good"));
            sqs.sendMessage(b -> b.queueUrl(queue.url()).messageBody("bad"));
            SqsPollerTest.waitFor(Duration.ofSeconds(30), () -> sqs.receiveMessage(b -> b.queueUrl(deadLetters).visibilityTimeout(0))
                    .messages().stream().anyMatch(m -> m.body().equals("bad")));
        }
        assertEquals(1, receives.get("good").size());
        assertEquals(2, receives.get("bad").size());
    }

    @Test
    void aPresignedUploadUrlWorksAgainstLocalStackS3() throws Exception {
        S3Client s3 = context.getBean(S3Client.class);
        s3.createBucket(b -> b.bucket("uploads"));
        var presigned = context.getBean(S3Presigner.class).presignPutObject(b -> b.signatureDuration(Duration.ofMinutes(5))
                .putObjectRequest(p -> p.bucket("uploads").key("t/t1/u1").contentType("text/plain")));
        HttpResponse<String> put = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(presigned.url().toString()))
                .header("Content-Type", "text/plain").PUT(HttpRequest.BodyPublishers.ofString("hello")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, put.statusCode(), put.body());
        assertEquals(5L, s3.headObject(b -> b.bucket("uploads").key("t/t1/u1")).contentLength());
    }
}
