package dev.sendsar.dynamo;

import dev.sendsar.domain.Connection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DynamoConnectionRepositoryTest {
    private static final DynamoLocal db = new DynamoLocal();
    private final DynamoConnectionRepository connections = new DynamoConnectionRepository(db.client, db.config);

    @AfterAll
    static void stop() {
        db.close();
    }

    private Connection open(String tenantId, String userId, String connectionId, Instant connectedAt) {
        Connection c = new Connection(connectionId, tenantId, userId, null, connectedAt.toString(),
                connectedAt.plusSeconds(600).getEpochSecond());
        connections.save(c);
        return c;
    }

    private Set<String> reachable(String tenantId, List<String> userIds) {
        return connections.reachable(tenantId, userIds).stream().map(Connection::connectionId).collect(Collectors.toSet());
    }

    /**
     * A socket is announced once, by its first hello; that call says so even when its first attempt's answer was lost
     * and the SDK's retry was refused by the mark it had set (before, the presence event was skipped).
     */
    @Test
    void markAnnounced_isTrueOnceForTheCallThatMarkedIt_evenThroughARetry() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        open("t1", "ann", "ann-1", now);
        DynamoConnectionRepository retried = new DynamoConnectionRepository(LostAnswers.onFirstWrite(db.client), db.config);
        assertTrue(retried.markAnnounced("ann-1"));
        assertFalse(connections.markAnnounced("ann-1"), "a second hello");
        assertFalse(connections.markAnnounced("nobody"), "a connection that is gone");
    }

    /** A typing stop is told once, for a start; the call that stopped says so even through the SDK's retry. */
    @Test
    void stopTyping_isTrueOnceForTheCallThatStopped_evenThroughARetry() {
        open("t1", "typist", "typ-1", Instant.now().truncatedTo(ChronoUnit.MILLIS));
        assertFalse(connections.stopTyping("typ-1", "r1"), "a stop of nothing");
        DynamoConnectionRepository retried = new DynamoConnectionRepository(LostAnswers.onFirstWrite(db.client), db.config);
        for (int round = 0; round < 2; round++) {
            connections.startTyping("typ-1", "r1");
            assertFalse(connections.stopTyping("typ-1", "r2"), "a stop in another room");
            assertTrue(retried.stopTyping("typ-1", "r1"));
            assertFalse(connections.stopTyping("typ-1", "r1"), "a second stop");
        }
        assertFalse(connections.stopTyping("nobody", "r1"), "a connection that is gone");
    }

    @Test
    void reachable_findsEverySocketOfTheUsersWithItsConnectTime_andNoOtherTenants() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        open("t1", "alice", "a-1", now);
        open("t1", "alice", "a-2", now.plusSeconds(1));
        open("t1", "bob", "b-1", now);
        open("t2", "alice", "other-tenant", now);

        List<Connection> found = connections.reachable("t1", List.of("alice", "bob", "nobody"));

        assertEquals(Set.of("a-1", "a-2", "b-1"), found.stream().map(Connection::connectionId).collect(Collectors.toSet()));
        Connection a2 = found.stream().filter(c -> c.connectionId().equals("a-2")).findFirst().orElseThrow();
        assertEquals("alice", a2.userId());
        assertEquals("t1", a2.tenantId());
        assertEquals(now.plusSeconds(1).toString(), a2.connectedAt(), "the 410 grace rule needs the connect time");
        assertEquals(Set.of("a-1", "a-2", "b-1"), connections.ofUsers("t1", List.of("alice", "bob")).stream()
                .map(Connection::connectionId).collect(Collectors.toSet()));
    }

    @Test
    void aDisconnect_orAForgottenSocketWhoseRecordExpired_isNoLongerReachable() {
        Instant now = Instant.now();
        open("t1", "carol", "c-1", now);
        Connection lost = open("t1", "carol", "c-2", now);
        open("t1", "carol", "c-3", now);

        connections.delete("c-1");
        // the record of c-2 expired (TTL) without a $disconnect: a post to it answers 410 and the publisher forgets it
        db.client.deleteItem(b -> b.tableName(db.config.getTable()).key(Map.of(TableKeys.PK,
                Attrs.s(TableKeys.connection("c-2")), TableKeys.SK, Attrs.s(TableKeys.CONN))));
        assertEquals(Set.of("c-2", "c-3"), reachable("t1", List.of("carol")));
        connections.forget(lost);

        assertEquals(Set.of("c-3"), reachable("t1", List.of("carol")));
        connections.delete("c-3");
        connections.forget(lost); // twice, or after the set is empty: harmless
        assertEquals(Set.of(), reachable("t1", List.of("carol")));
        assertNull(connections.find("c-3").orElse(null));
    }

    @Test
    void anEntryOlderThanAnyConnectionMayLive_isSkipped_andDroppedOnTheNextConnect() {
        Instant now = Instant.now();
        open("t1", "dave", "d-old", now.minus(Connection.MAX_LIFETIME).minusSeconds(60));
        assertEquals(Set.of(), reachable("t1", List.of("dave")));

        open("t1", "dave", "d-new", now);

        assertEquals(Set.of("d-new"), reachable("t1", List.of("dave")));
        var set = db.client.getItem(b -> b.tableName(db.config.getTable()).key(Map.of(TableKeys.PK,
                Attrs.s(TableKeys.user("t1", "dave")), TableKeys.SK, Attrs.s(TableKeys.CONNS)))).item();
        assertEquals(Set.of("d-new"), set.get("sockets").m().keySet());
    }

    @Test
    void concurrentFirstConnectsOfOneUser_areAllReachable() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(5);
        try {
            List<Future<Connection>> opened = pool.invokeAll(IntStream.range(0, 5)
                    .mapToObj(i -> (java.util.concurrent.Callable<Connection>) () -> open("t1", "erin", "e-" + i, Instant.now()))
                    .toList());
            for (Future<Connection> f : opened) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(Set.of("e-0", "e-1", "e-2", "e-3", "e-4"), reachable("t1", List.of("erin")));
    }

    @Test
    void presenceReadsLiveConnectionsFromGsi1_andOnlyAConnectOrAnExtensionWritesIt() {
        IndexWrites meter = new IndexWrites(db.client);
        DynamoConnectionRepository metered = new DynamoConnectionRepository(meter.client, db.config);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        metered.save(new Connection("p1=", "tp", "ann", null, now.toString(), now.plusSeconds(600).getEpochSecond()));
        metered.save(new Connection("p2=", "tp", "bob", null, now.toString(), now.plusSeconds(600).getEpochSecond()));
        metered.save(new Connection("gone=", "tp", "cid", null, now.toString(), now.minusSeconds(1).getEpochSecond()));
        assertEquals(3.0, meter.index());

        // what a hello, a join and typing write touches nothing GSI1 holds
        meter.reset();
        metered.markAnnounced("p1=");
        metered.joinRoom("p1=", "room-1");
        metered.startTyping("p1=", "room-1");
        metered.stopTyping("p1=", "room-1");
        assertEquals(0.0, meter.index());
        assertEquals(4.0, meter.table());
        // extending a connection's life does: presence counts an idle-expired connection as offline
        metered.touch("p2=", now.plusSeconds(900).getEpochSecond());
        assertEquals(1.0, meter.index());

        List<Connection> online = connections.ofTenant("tp", 10);
        assertEquals(Set.of("ann", "bob"), online.stream().map(Connection::userId).collect(Collectors.toSet()));
        Connection bob = online.stream().filter(c -> c.userId().equals("bob")).findFirst().orElseThrow();
        assertEquals(new Connection("p2=", "tp", "bob", null, now.toString(), now.plusSeconds(900).getEpochSecond()), bob);
        assertEquals(List.of(), connections.ofTenant("other-tenant", 10));
    }
}
