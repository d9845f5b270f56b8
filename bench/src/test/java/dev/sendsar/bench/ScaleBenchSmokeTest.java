package dev.sendsar.bench;

import dev.sendsar.local.LocalStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Keeps the scale harness working: small rooms, every frame checked, DynamoDB units measured, pushes timed. */
class ScaleBenchSmokeTest {

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void costBigRoomAndPush_deliverEveryMessageOnce_andMeasureUnits() throws Exception {
        FakeFcm fcm = new FakeFcm();
        System.setProperty("sendsar.fcm-url", fcm.url());
        try (fcm; LocalStack stack = LocalStack.start(LocalStack.Options.inMemory())) {
            ScaleBench.Result result = ScaleBench.run(stack, new ScaleBench.Options(3, 8, 2, 10, 2, 5, 2, 3, fcm),
                    Set.of("cost", "big", "push"));

            String report = ScaleBench.report(result);
            assertTrue(result.ok(), report);
            assertEquals(3, result.cost().size(), report);
            // a send writes at least the message, and reads the members' connections
            result.cost().forEach(r -> assertTrue(r.wruPerSend() >= 1 && r.rruPerSend() > 0, report));
            // a list of the reader's rooms reads their rooms; a read receipt writes the reader's cursor
            assertTrue(result.readSide().listRru() > 0 && result.readSide().receiptWru() >= 1, report);
            assertEquals(5, result.bigRoom().members());
            assertTrue(report.contains("Cost and latency per send"), report);
            assertEquals(3, result.push().received(), report);
            assertTrue(result.push().toProvider().p50() > 0 && report.contains("REST send -> request at the fake FCM"), report);
        }
    }
}
