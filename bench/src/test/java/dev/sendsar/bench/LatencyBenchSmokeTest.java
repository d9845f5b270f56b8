package dev.sendsar.bench;

import dev.sendsar.local.LocalStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Keeps the harness working: a tiny latency run where every message must arrive exactly once, in seq order. */
class LatencyBenchSmokeTest {

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void everyMessageArrivesOnceInSeqOrder() throws Exception {
        try (LocalStack stack = LocalStack.start(LocalStack.Options.inMemory())) {
            LatencyBench.Result result = LatencyBench.run(stack, new LatencyBench.Options(20, 5, true));

            assertEquals(25, result.sent());
            assertEquals(25, result.delivered(), "new-message frames received");
            assertEquals(0, result.duplicates(), "duplicate frames");
            assertEquals(0, result.missing(), "missing frames");
            assertTrue(result.inSeqOrder(), "seqs arrive 1, 2, 3… without gaps");
            assertEquals(1, result.firstSeq());
            assertEquals(25, result.lastSeq());
            // includes the sender's device getting each of its messages once, from the answers
            assertTrue(result.problems().isEmpty(), () -> "problems: " + result.problems());
            assertEquals(20, result.send().count());
            assertEquals(20, result.floor().count());
            assertTrue(result.floor().p50() > 0 && result.send().p50() > 0);
            assertEquals(5, result.stageInTurn().count(), "the first stage in turn and at once after every fourth send");
            assertEquals(5, result.stageAtOnce().count());
            assertTrue(result.stageRatio() > 0);
            assertTrue(Main.latencyReport(result).contains("Ratio send p50 / floor p50"));
        }
    }
}
