package dev.sendsar.bench;

import dev.sendsar.dynamo.TableKeys;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bench bills a transaction's GSI1 entries as AWS does: only writes that change what the index holds. */
class SdkCallTimerTest {

    @Test
    void anUpdateWritesTheIndexOnlyWhenItChangesAKeyOrAnAttributeGsi1Holds() {
        assertFalse(SdkCallTimer.changesIndex("SET lastReadSeq = :seq, lastReadMessageId = :userId", Map.of()));
        assertFalse(SdkCallTimer.changesIndex("SET #role = :role, mutedUntil = :muted", Map.of("#role", "role")));
        assertTrue(SdkCallTimer.changesIndex("SET #t = :ttl", Map.of("#t", TableKeys.TTL)));
        assertTrue(SdkCallTimer.changesIndex("SET " + TableKeys.GSI1_SK + " = :a", Map.of()));
        assertTrue(SdkCallTimer.changesIndex("REMOVE userId", Map.of()));
    }

    @Test
    void anIndexEntryIsSizedByWhatGsi1Holds_andAnItemOutsideGsi1HasNone() {
        Map<String, AttributeValue> member = new HashMap<>();
        member.put(TableKeys.PK, AttributeValue.fromS("R#t#room"));
        member.put(TableKeys.SK, AttributeValue.fromS("M#u"));
        member.put("userId", AttributeValue.fromS("u"));
        // a large attribute the index does not hold does not make its entry larger
        member.put("lastReadMessageId", AttributeValue.fromS("x".repeat(3000)));
        assertEquals(0, SdkCallTimer.indexUnits(member));
        member.put(TableKeys.GSI1_PK, AttributeValue.fromS("U#t#u"));
        member.put(TableKeys.GSI1_SK, AttributeValue.fromS("A#2026#R#room"));
        assertEquals(1, SdkCallTimer.indexUnits(member));
    }

    @Test
    void theLocalEventSourcesCallsAreNoSendsCalls() {
        assertTrue(SdkCallTimer.eventSource("DynamoDbStreams.GetRecords"));
        assertTrue(SdkCallTimer.eventSource("Sqs.ReceiveMessage"));
        assertTrue(SdkCallTimer.eventSource("Sqs.DeleteMessageBatch"));
        assertFalse(SdkCallTimer.eventSource("Sqs.SendMessageBatch"));
        assertFalse(SdkCallTimer.eventSource("DynamoDb.GetItem"));
    }
}
