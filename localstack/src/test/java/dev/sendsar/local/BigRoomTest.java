package dev.sendsar.local;

import dev.sendsar.service.RealtimePublisher;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A room above {@link RealtimePublisher#INLINE_MEMBERS} members: the sender posts to the first 100, the fan-out worker
 * (fed through the {@code fan-out} queue) to the rest; every member's socket gets every message once, except the
 * sending device's own socket when the send names it (even for a sender past the first 100). And a send's posts
 * reuse their connections.
 */
class BigRoomTest {
    private static final int MEMBERS = RealtimePublisher.INLINE_MEMBERS + 30;
    private final LocalStack stack = TestStack.get();

    /**
     * A send posts to the members' sockets in parallel; the JDK keeps 5 idle connections per host unless told more
     * ({@code LambdaJvm.KEEP_ALIVE_CONNECTIONS}), and every post past the fifth opened a connection (on AWS a TLS
     * handshake) and closed it after: 114 new connections for these 4 messages, where now at most one per socket.
     */
    @Test
    void postsToARoomsSockets_reuseConnections() {
        Api server = Api.newTenant(stack);
        List<String> users = IntStream.range(0, 40).mapToObj(i -> String.format("reuser%02d", i)).toList();
        String room = server.room(users.toArray(String[]::new));
        List<Socket> sockets = new ArrayList<>();
        try {
            for (String user : users) {
                sockets.add(Socket.open(stack, server.tokenFor(user)));
            }
            // connections once opened are kept: over several messages the posts open at most one per socket
            long before = stack.connectionsAccepted();
            for (int m = 0; m < 4; m++) {
                Api.Response sent = server.post("/chat/rooms/" + room + "/messages",
                        "{\"senderId\":\"reuser00\",\"parts\":[{\"type\":\"text\",\"text\":\"m" + m + "\"}]}");
                assertEquals(201, sent.status(), sent.raw().body());
                long seq = sent.body().path("seq").asLong();
                for (Socket socket : sockets) {
                    socket.await(f -> "new-message".equals(f.path("event").asText()) && f.path("data").path("seq").asLong() == seq,
                            "message " + seq);
                }
            }
            long opened = stack.connectionsAccepted() - before;
            assertTrue(opened <= users.size() + 2, opened + " connections opened by 4 messages of 40 posts each");
        } finally {
            sockets.forEach(Socket::close);
        }
    }

    @Test
    void aMessageToARoomAboveTheThreshold_reachesEveryMemberOnce() {
        Api server = Api.newTenant(stack);
        List<String> users = IntStream.range(0, MEMBERS).mapToObj(i -> String.format("member%03d", i)).toList();
        List<String> tokens = users.stream().map(server::tokenFor).toList();
        String room = server.room(users.subList(0, 90).toArray(String[]::new)); // the most a create takes
        for (String user : users.subList(90, MEMBERS)) {
            assertEquals(200, server.post("/chat/rooms/" + room + "/participants", "{\"userId\":\"" + user + "\"}").status());
        }
        List<Socket> sockets = new ArrayList<>();
        try {
            for (String token : tokens) {
                sockets.add(Socket.open(stack, token));
            }
            int farSender = MEMBERS - 1;
            String farSendersSocket = sockets.get(farSender).hello().path("data").path("connectionId").asText();
            List<Long> seqs = new ArrayList<>();
            for (int m = 0; m < 3; m++) {
                Api.Response sent = server.post("/chat/rooms/" + room + "/messages",
                        "{\"senderId\":\"member000\",\"parts\":[{\"type\":\"text\",\"text\":\"to all " + m + "\"}]}");
                assertEquals(201, sent.status(), sent.raw().body());
                seqs.add(sent.body().path("seq").asLong());
            }
            Api.Response fromFar = server.postFromSocket(farSendersSocket, "/chat/rooms/" + room + "/messages",
                    "{\"senderId\":\"" + users.get(farSender) + "\",\"parts\":[{\"type\":\"text\",\"text\":\"from afar\"}]}");
            assertEquals(201, fromFar.status(), fromFar.raw().body());
            long farSeq = fromFar.body().path("seq").asLong();
            for (int i = 0; i < sockets.size(); i++) {
                Socket socket = sockets.get(i);
                List<Long> expected = new ArrayList<>(seqs);
                if (i != farSender) {
                    expected.add(farSeq);
                }
                Map<Long, Integer> got = new java.util.HashMap<>();
                // batches of one message may arrive after the next message's frame: collect until every seq came
                socket.await(f -> {
                    if ("new-message".equals(f.path("event").asText())) {
                        got.merge(f.path("data").path("seq").asLong(), 1, Integer::sum);
                    }
                    return got.keySet().containsAll(expected);
                }, users.get(i) + "'s messages " + expected + " (got " + got + ")", 20);
                socket.drain(0).stream().filter(f -> "new-message".equals(f.path("event").asText()))
                        .forEach(f -> got.merge(f.path("data").path("seq").asLong(), 1, Integer::sum));
                assertEquals(expected.stream().collect(Collectors.toMap(seq -> seq, seq -> 1)), got, users.get(i) + ": each message once");
            }
            for (Socket socket : sockets) {
                assertTrue(socket.drain(100).stream().noneMatch(f -> "new-message".equals(f.path("event").asText())),
                        "no message twice");
            }
        } finally {
            sockets.forEach(Socket::close);
        }
    }
}
