package dev.sendsar.dynamo;

import dev.sendsar.domain.Upload;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DynamoUploadRepositoryTest {
    private static final DynamoLocal db = new DynamoLocal();
    private final DynamoUploadRepository uploads = new DynamoUploadRepository(db.client, db.config);
    private static final long LATER = System.currentTimeMillis() / 1000 + 3600;

    @AfterAll
    static void stop() {
        db.close();
    }

    private static Upload pending(String id, Set<String> rooms) {
        return new Upload(id, "alice", "a.png", "image/png", 42, Upload.PENDING, rooms, "2026-01-01T00:00:00.000Z", null);
    }

    @Test
    void anUpload_isFoundOnlyInItsTenant_andBecomesReadyForGood() {
        uploads.create("t1", pending("u1", Set.of("r1")), LATER);
        assertEquals(pending("u1", Set.of("r1")), uploads.find("t1", "u1").orElseThrow());
        assertTrue(uploads.find("t2", "u1").isEmpty());

        assertTrue(uploads.markReady("t1", "u1", "2026-01-01T00:01:00.000Z"));
        Upload ready = uploads.find("t1", "u1").orElseThrow();
        assertTrue(ready.ready());
        assertEquals("2026-01-01T00:01:00.000Z", ready.completedAt());
        var item = db.client.getItem(b -> b.tableName(db.config.getTable()).key(java.util.Map.of(
                TableKeys.PK, Attrs.s(TableKeys.upload("t1", "u1")), TableKeys.SK, Attrs.s(TableKeys.UPLOAD)))).item();
        assertFalse(item.containsKey(TableKeys.TTL), "a completed upload does not expire");
        assertFalse(uploads.markReady("t1", "nope", "2026-01-01T00:01:00.000Z"));
    }

    /**
     * An upload created by a call whose first attempt was applied and lost its answer, so the SDK sent it again: the
     * refusal is by the call's own item, and the create succeeds (before: a 500 for an upload that was stored). Another
     * upload under the same id is still refused.
     */
    @Test
    void aCreateWhoseAnswerWasLost_andThatTheSdkTriedAgain_succeeds() {
        DynamoUploadRepository retried = new DynamoUploadRepository(LostAnswers.onFirstWrite(db.client), db.config);
        retried.create("t1", pending("u4", Set.of()), LATER);
        assertEquals(pending("u4", Set.of()), uploads.find("t1", "u4").orElseThrow());
        Upload other = new Upload("u4", "mallory", "b.png", "image/png", 1, Upload.PENDING, Set.of(), "2026-01-01T00:00:00.000Z", null);
        assertThrows(ConditionalCheckFailedException.class, () -> uploads.create("t1", other, LATER));
    }

    @Test
    void addRoom_growsTheSetOfRoomsThatMayReadIt() {
        uploads.create("t1", pending("u2", Set.of()), LATER);
        uploads.addRoom("t1", "u2", "r1");
        uploads.addRoom("t1", "u2", "r2");
        uploads.addRoom("t1", "u2", "r1");
        uploads.addRoom("t1", "gone", "r1");
        assertEquals(Set.of("r1", "r2"), uploads.find("t1", "u2").orElseThrow().roomIds());
        assertTrue(uploads.find("t1", "gone").isEmpty());
    }

    @Test
    void aPendingUploadPastItsExpiry_isGoneAtOnce() {
        uploads.create("t1", pending("u3", Set.of()), System.currentTimeMillis() / 1000 - 1);
        assertTrue(uploads.find("t1", "u3").isEmpty());
        assertTrue(uploads.findAll("t1", List.of("u3")).isEmpty());
    }

    @Test
    void findAll_andDelete() {
        uploads.create("t1", pending("u4", Set.of()), LATER);
        uploads.create("t1", pending("u5", Set.of()), LATER);
        assertEquals(Set.of("u4", "u5"), uploads.findAll("t1", List.of("u4", "u5", "u6", "u4")).keySet());
        uploads.delete("t1", "u4");
        assertEquals(Set.of("u5"), uploads.findAll("t1", List.of("u4", "u5")).keySet());
    }
}
