package dev.sendsar.bench;

import dev.sendsar.local.LocalStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keeps the scale harness working: small rooms, every frame checked, DynamoDB units and send-message's duration
 * measured and priced, the busy room's phases and the throughput turns run, pushes timed.
 */
class ScaleBenchSmokeTest {

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void everyScenario_deliversEveryMessageOnce_andMeasures() throws Exception {
        FakeFcm fcm = new FakeFcm();
        System.setProperty("sendsar.fcm-url", fcm.url());
        try (fcm; LocalStack stack = LocalStack.start(LocalStack.Options.inMemory())) {
            ScaleBench.Result result = ScaleBench.run(stack, new ScaleBench.Options(3, 5, 8, 2, 10, 2, 5, 2, 3, fcm, true),
                    Set.of("cost", "busy", "throughput", "big", "push"));

            String report = ScaleBench.report(result);
            assertTrue(result.ok(), report);
            // 1:1 as the SDK sends (session token) and as the tenant's server (API key), then 10 and 100 members
            assertEquals(4, result.cost().size(), report);
            assertEquals(ScaleBench.Sender.SESSION, result.cost().get(0).sender(), report);
            assertEquals(ScaleBench.Sender.API_KEY, result.cost().get(1).sender(), report);
            // a session user's send also writes its rate-limit counter (1 unit); the API key's budget is reserved in
            // blocks (at most one reservation among 3 sends once a few were made)
            double counter = result.cost().get(0).wruPerSend() - result.cost().get(1).wruPerSend();
            assertTrue(counter >= 0.6 && counter <= 1.01, counter + "\n" + report);
            // a send writes at least the message, and reads the members' connections
            result.cost().forEach(r -> assertTrue(r.wruPerSend() >= 1 && r.rruPerSend() > 0, report));
            // the sender names its own socket: in a 1:1 room only the receiver's socket is posted to
            assertEquals(1.0, result.cost().get(0).postsPerSend(), report);
            // a list of the reader's rooms reads their rooms; a read receipt writes the reader's cursor
            assertTrue(result.readSide().listRru() > 0 && result.readSide().receiptWru() >= 1, report);
            assertEquals(5, result.bigRoom().members());
            // the busy room's three phases each sent every message (delivery is checked by result.ok())
            assertEquals(8, result.busy().request1().count(), report);
            assertEquals(8, result.busy().paced().request().count(), report);
            assertEquals(8, result.busy().request8().count(), report);
            assertTrue(report.contains("8 senders, paced"), report);
            // throughput: ours and the floor in turns, both timed (each message's single delivery: result.ok())
            assertTrue(result.throughput().deliveredPerSecond() > 0 && result.throughput().floorPerSecond() > 0
                    && result.throughput().floorCpuMsPerOp() > 0, report);
            assertTrue(report.contains("Cost and latency per send"), report);
            // each send is one send-message invocation, timed; the floor is timed too; the bill is printed beside it
            result.cost().forEach(r -> {
                assertEquals(1.0, r.invocationsPerSend(), report);
                assertEquals(3, r.duration().count(), report);
                assertTrue(r.duration().p50() > 0 && r.duration().p50() <= r.request().max(), report);
            });
            // one floor run after each measured send of the cost rooms
            assertTrue(result.floorDuration().count() == 3 * result.cost().size() && result.floorDuration().p50() > 0, report);
            assertTrue(report.contains("Cost per 1 M sent messages") && report.contains("REPORT RequestId: "), report);
            assertEquals(3, result.push().received(), report);
            assertTrue(result.push().toProvider().p50() > 0 && report.contains("REST send -> request at the fake FCM"), report);
        }
    }
}
