package dev.sendsar.local;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.sendsar.config.SendsarConfig;
import dev.sendsar.routes.RouteTable;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A stream worker is handed only the records its filters want, as Lambda's event filtering does: the event router
 * gets a room's creation and its messages, never a send's claim, its rate-limit counter, the room item's move or a
 * read receipt.
 */
class StreamFilterTest {
    private final LocalStack stack = TestStack.get();

    @Test
    void theEventRoutersPollerHandsOverOnlyTheRecordsItWants() throws Exception {
        Api server = Api.newTenant(stack);
        String bobToken = server.tokenFor("bob");
        server.tokenFor("alice");
        String room = server.room("alice", "bob");
        String tenant = Api.tenantOf(bobToken);
        Api bob = Api.withToken(stack, bobToken);
        // a session send writes its claim and bob's rate-limit counter, then the message, then moves the room item
        Api.Response sent = bob.post("/chat/rooms/" + room + "/messages",
                "{\"parts\":[{\"type\":\"text\",\"text\":\"filtered\"}],\"clientMessageId\":\"c-filtered\"}");
        assertEquals(201, sent.status(), sent.raw().body());
        Api.Response read = bob.post("/chat/rooms/" + room + "/read", "{\"lastReadMessageId\":\"" + sent.body().path("id").asText() + "\"}");
        assertEquals(200, read.status(), read.raw().body());
        // the mark that all of the above was read: a message after it, in the same room
        assertEquals(201, server.post("/chat/rooms/" + room + "/messages",
                "{\"senderId\":\"alice\",\"parts\":[{\"type\":\"text\",\"text\":\"last\"}]}").status());

        SendsarConfig config = stack.context().getBean(SendsarConfig.class);
        String streamArn = stack.context().getBean(DynamoDbClient.class)
                .describeTable(b -> b.tableName(config.getTable())).table().latestStreamArn();
        List<DynamodbEvent.DynamodbStreamRecord> handed = new CopyOnWriteArrayList<>();
        RouteTable.Worker router = RouteTable.WORKERS.stream().filter(w -> w.name().equals("event-router")).findFirst().orElseThrow();
        try (DynamoDbStreamsClient streams = LocalWorkers.streamsClient(config.getDynamodbEndpoint());
             StreamPoller poller = new StreamPoller(streams, streamArn, router, event -> {
                 handed.addAll(event.getRecords());
                 return new StreamsEventResponse();
             }, null)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (handed.stream().noneMatch(r -> isMessage(r, tenant, room, "last")) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        }
        assertTrue(handed.stream().anyMatch(r -> isMessage(r, tenant, room, "filtered")), "the session send's message");
        assertTrue(handed.stream().anyMatch(r -> isMessage(r, tenant, room, "last")), "the last message");
        for (DynamodbEvent.DynamodbStreamRecord r : handed) {
            String sk = r.getDynamodb().getKeys().get("SK").getS();
            assertTrue(router.wants(r.getEventName(), sk), r.getEventName() + " " + r.getDynamodb().getKeys());
            assertTrue(sk.startsWith("S#") || sk.startsWith("CALL#") || (sk.equals("META") && r.getEventName().equals("INSERT")),
                    r.getEventName() + " " + r.getDynamodb().getKeys());
        }
    }

    private static boolean isMessage(DynamodbEvent.DynamodbStreamRecord r, String tenant, String room, String text) {
        var image = r.getDynamodb().getNewImage();
        return "INSERT".equals(r.getEventName()) && r.getDynamodb().getKeys().get("PK").getS().equals("T#" + tenant + "#R#" + room)
                && image != null && image.get("doc") != null && image.get("doc").getS().contains("\"" + text + "\"");
    }
}
