package dev.sendsar.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bill of a send from measured figures, item by item, and the memory size it is priced at. */
class SendCostTest {

    @Test
    void docsDeployMdsOneToOneModel_comesOutItemByItem() {
        // docs/deploy.md before durations were measured: 80 ms at 1 GB, 4 WRU, 2 RRU, one post -> $6.17 per million
        SendCost.Usage usage = new SendCost.Usage(1, 80, 1024, 4, 2, 1, 0, 0, 0);
        List<SendCost.Item> items = SendCost.items(usage);
        assertEquals(List.of("HTTP API", "Lambda req", "Lambda time", "WRU", "RRU", "posts", "SQS", "logs", "router"),
                items.stream().map(SendCost.Item::name).toList());
        double[] expected = {1.00, 0.20, 1.0667, 2.50, 0.25, 1.00, 0, 0.15, 0};
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], items.get(i).perMillion(), 0.0001, items.get(i).name());
        }
        assertEquals(6.17, SendCost.perMillion(usage), 0.005);
    }

    @Test
    void timeScalesWithDurationAndMemory_andEachQueueSendBringsAReceiveAndADelete() {
        double at1024 = SendCost.items(new SendCost.Usage(1, 20, 1024, 0, 0, 0, 0, 0, 0)).get(2).perMillion();
        assertEquals(2 * at1024, SendCost.items(new SendCost.Usage(1, 20, 2048, 0, 0, 0, 0, 0, 0)).get(2).perMillion(), 1e-9);
        assertEquals(2 * at1024, SendCost.items(new SendCost.Usage(2, 20, 1024, 0, 0, 0, 0, 0, 0)).get(2).perMillion(), 1e-9);
        assertEquals(1.20, SendCost.items(new SendCost.Usage(1, 20, 1024, 0, 0, 0, 1, 0, 0)).get(6).perMillion(), 1e-9);
    }

    @Test
    void theEventRoutersInvocationIsARequestAndItsTime() {
        // 0.20 request + 15 ms at 1 GB 0.20, one invocation per message
        SendCost.Usage usage = new SendCost.Usage(1, 20, 1024, 0, 0, 0, 0, 1, 15);
        assertEquals(0.40, SendCost.items(usage).get(8).perMillion(), 0.0001);
        assertEquals(0.80, SendCost.items(new SendCost.Usage(1, 20, 1024, 0, 0, 0, 0, 2, 15)).get(8).perMillion(), 0.0001);
    }

    @Test
    void theFloorIsARequestAnInvocationOneWriteAndAPostPerOtherMember() {
        // 1.00 HTTP + 0.20 request + 30 ms at 1 GB 0.40 + 1 WRU 0.625 + 1 post 1.00 + logs 0.15
        assertEquals(3.375, SendCost.perMillion(SendCost.Usage.floor(2, 30, 1024)), 0.0001);
        assertEquals(3.375 + 98, SendCost.perMillion(SendCost.Usage.floor(100, 30, 1024)), 0.0001);
    }

    @Test
    void memoryComesFromCdkContext_routeOverrideFirst_elseTheStacksDefault() throws Exception {
        Path dir = Files.createTempDirectory("cdk");
        Path cdkJson = dir.resolve("cdk.json");
        assertEquals(dev.sendsar.routes.LambdaJvm.MEMORY_MB, DeployedMemory.of("send-message", cdkJson).mb());
        Files.writeString(cdkJson, "{\"app\":\"x\",\"context\":{\"memoryMb\":\"1536\"}}");
        assertEquals(1536, DeployedMemory.of("send-message", cdkJson).mb());
        Files.writeString(cdkJson, "{\"context\":{\"memoryMb\":1536,\"memoryMb.send-message\":\"2048\"}}");
        DeployedMemory memory = DeployedMemory.of("send-message", cdkJson);
        assertEquals(2048, memory.mb());
        assertTrue(memory.source().contains("memoryMb.send-message"), memory.source());
        assertEquals(1536, DeployedMemory.of("get-user", cdkJson).mb());
        Files.writeString(cdkJson, "{\"context\":{\"memoryMb\":\"lots\"}}");
        assertThrows(IllegalStateException.class, () -> DeployedMemory.of("send-message", cdkJson));
    }

    @Test
    void theRepositorysOwnCdkJson_isReadable() {
        // what bench/run.sh prices at, run from the repository root; the tests run in bench/
        DeployedMemory memory = DeployedMemory.of("send-message", Path.of("..").resolve(DeployedMemory.CDK_JSON));
        assertTrue(memory.mb() >= 128, memory.toString());
    }
}
