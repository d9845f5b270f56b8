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
 * read receipt; nor a new message that reached every recipient's socket when no webhook wants it.
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
        assertEquals(201, server.post("/chat/rooms/" + room + "/messages", withSender("alice", "last")).status());

        List<DynamodbEvent.DynamodbStreamRecord> handed = routed(r -> isMessage(r, tenant, room, "last"));
        assertTrue(handed.stream().anyMatch(r -> isMessage(r, tenant, room, "filtered")), "the session send's message (alice had no socket)");
        RouteTable.Worker router = router();
        for (DynamodbEvent.DynamodbStreamRecord r : handed) {
            String sk = r.getDynamodb().getKeys().get("SK").getS();
            assertTrue(router.wants(r.getEventName(), sk, flag -> r.getDynamodb().getNewImage() != null
                    && r.getDynamodb().getNewImage().containsKey(flag)), r.getEventName() + " " + r.getDynamodb().getKeys());
            assertTrue(sk.startsWith("S#") || sk.startsWith("CALL#") || (sk.equals("META") && r.getEventName().equals("INSERT")),
                    r.getEventName() + " " + r.getDynamodb().getKeys());
        }
    }

    /**
     * Nobody is to hear of a message beyond the sockets its send posts to when every recipient has one (a push goes
     * only to a recipient with none) and no webhook wants new messages: its record invokes no router. A recipient
     * without a socket, or a webhook that wants {@code message.created}, brings it back; a change of a quiet message
     * (an edit) reaches the router as any change does.
     */
    @Test
    void aMessageEveryRecipientsSocketGotAndNoWebhookWantsInvokesNoRouter() throws Exception {
        Api server = Api.newTenant(stack);
        String aliceToken = server.tokenFor("alice");
        String bobToken = server.tokenFor("bob");
        server.tokenFor("carol");
        String pair = server.room("alice", "bob");
        String group = server.room("alice", "bob", "carol");
        String tenant = Api.tenantOf(bobToken);
        String quietId;
        try (Socket alice = Socket.open(stack, aliceToken); Socket bob = Socket.open(stack, bobToken);
             Receiver receiver = new Receiver(r -> 200)) {
            alice.hello();
            bob.hello();
            Api.Response quiet = server.post("/chat/rooms/" + pair + "/messages", withSender("bob", "quiet"));
            assertEquals(201, quiet.status(), quiet.raw().body());
            quietId = quiet.body().path("id").asText();
            alice.await(f -> f.path("data").path("id").asText().equals(quietId) && pair.equals(f.path("data").path("roomId").asText()), "the quiet message");
            // carol has no socket: she may be pushed
            assertEquals(201, server.post("/chat/rooms/" + group + "/messages", withSender("bob", "carol offline")).status());
            Api.Response edited = Api.withToken(stack, bobToken).send("PATCH", "/chat/rooms/" + pair + "/messages/" + quietId,
                    Api.text("quiet, edited"));
            assertEquals(200, edited.status(), edited.raw().body());
            Api.Response put = server.send("PUT", "/tenant/webhook", "{\"url\":\"" + receiver.url() + "\",\"enabled\":true,"
                    + "\"events\":[\"message.created\"]}");
            assertEquals(200, put.status(), put.raw().body());
            assertEquals(201, server.post("/chat/rooms/" + pair + "/messages", withSender("bob", "webhook wants it")).status());
        }
        List<DynamodbEvent.DynamodbStreamRecord> handed = routed(r -> isMessage(r, tenant, pair, "webhook wants it"));
        assertTrue(handed.stream().noneMatch(r -> isMessage(r, tenant, pair, "quiet")), "the quiet message reached the router");
        assertTrue(handed.stream().anyMatch(r -> isMessage(r, tenant, group, "carol offline")), "a message to a recipient without a socket");
        assertTrue(handed.stream().anyMatch(r -> "MODIFY".equals(r.getEventName()) && r.getDynamodb().getNewImage().get("doc").getS()
                .contains("quiet, edited")), "the quiet message's edit");
    }

    /** The records the event router's filters let through, from the stream's start until one matches {@code until}. */
    private List<DynamodbEvent.DynamodbStreamRecord> routed(java.util.function.Predicate<DynamodbEvent.DynamodbStreamRecord> until)
            throws Exception {
        SendsarConfig config = stack.context().getBean(SendsarConfig.class);
        String streamArn = stack.context().getBean(DynamoDbClient.class)
                .describeTable(b -> b.tableName(config.getTable())).table().latestStreamArn();
        List<DynamodbEvent.DynamodbStreamRecord> handed = new CopyOnWriteArrayList<>();
        try (DynamoDbStreamsClient streams = LocalWorkers.streamsClient(config.getDynamodbEndpoint());
             StreamPoller poller = new StreamPoller(streams, streamArn, router(), event -> {
                 handed.addAll(event.getRecords());
                 return new StreamsEventResponse();
             }, null)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (handed.stream().noneMatch(until) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        }
        assertTrue(handed.stream().anyMatch(until), "the last record awaited");
        return handed;
    }

    private static RouteTable.Worker router() {
        return RouteTable.WORKERS.stream().filter(w -> w.name().equals("event-router")).findFirst().orElseThrow();
    }

    private static String withSender(String sender, String text) {
        return "{\"senderId\":\"" + sender + "\",\"parts\":[{\"type\":\"text\",\"text\":\"" + text + "\"}]}";
    }

    private static boolean isMessage(DynamodbEvent.DynamodbStreamRecord r, String tenant, String room, String text) {
        var image = r.getDynamodb().getNewImage();
        return "INSERT".equals(r.getEventName()) && r.getDynamodb().getKeys().get("PK").getS().equals("T#" + tenant + "#R#" + room)
                && image != null && image.get("doc") != null && image.get("doc").getS().contains("\"" + text + "\"");
    }
}
