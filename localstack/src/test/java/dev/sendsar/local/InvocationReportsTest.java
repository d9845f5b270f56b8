package dev.sendsar.local;

import dev.sendsar.routes.LambdaJvm;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The local runtime reports each function invocation as Lambda's REPORT line does: once, with the handler's time. */
class InvocationReportsTest {
    private static final Pattern REPORT = Pattern.compile(
            "REPORT RequestId: [0-9a-f-]{36}\tDuration: \\d+\\.\\d{2} ms\tBilled Duration: \\d+ ms\tMemory Size: \\d+ MB");
    private final LocalStack stack = TestStack.get();

    @Test
    void aSendIsOneSendMessageInvocation_timedWithinTheRequest_andAHelloOneWsHello() throws Exception {
        Api server = Api.newTenant(stack);
        server.tokenFor("alice");
        String bobToken = server.tokenFor("bob");
        String room = server.room("alice", "bob");
        List<Invocation> heard = Collections.synchronizedList(new ArrayList<>());
        long roundTrip;
        try (Socket bob = Socket.open(stack, bobToken); AutoCloseable listening = stack.onInvocation(heard::add)) {
            bob.hello();
            long started = System.nanoTime();
            Api.Response sent = server.post("/chat/rooms/" + room + "/messages",
                    "{\"senderId\":\"alice\",\"parts\":[{\"type\":\"text\",\"text\":\"timed\"}]}");
            roundTrip = System.nanoTime() - started;
            assertEquals(201, sent.status(), sent.raw().body());
            bob.await("new-message");
        }
        List<Invocation> sends = named(heard, "send-message");
        assertEquals(1, sends.size(), heard.toString());
        Invocation send = sends.get(0);
        // the handler's time is inside the client's round trip, and what Lambda bills is it rounded up to the next ms
        assertTrue(send.durationNanos() > 0 && send.durationNanos() < roundTrip, send + " round trip " + roundTrip);
        assertEquals((long) Math.ceil(send.durationNanos() / 1e6), send.billedMillis());
        assertEquals(LambdaJvm.MEMORY_MB, send.memoryMb());
        assertTrue(REPORT.matcher(send.reportLine()).matches(), send.reportLine());
        assertEquals(1, named(heard, "ws-hello").size(), heard.toString());

        // a closed listener hears nothing more
        int before = heard.size();
        server.post("/chat/rooms/" + room + "/messages", "{\"senderId\":\"alice\",\"parts\":[{\"type\":\"text\",\"text\":\"unheard\"}]}");
        assertEquals(before, heard.size());
    }

    @Test
    void anInvocationThatThrows_isReportedToo_andBilledAtLeastOneMillisecond() throws Exception {
        InvocationReports reports = new InvocationReports();
        List<Invocation> heard = new ArrayList<>();
        try (AutoCloseable listening = reports.listen(heard::add)) {
            assertEquals("ok", reports.invoke("quick", () -> "ok"));
            assertThrows(IllegalStateException.class, () -> reports.invoke("failing", () -> {
                throw new IllegalStateException("boom");
            }));
        }
        assertEquals(List.of("quick", "failing"), heard.stream().map(Invocation::function).toList());
        assertEquals(1, heard.get(0).billedMillis());
        assertEquals(13, Invocation.billedMillis(12_000_001));
        assertEquals(12, Invocation.billedMillis(12_000_000));
    }

    private static List<Invocation> named(List<Invocation> invocations, String function) {
        synchronized (invocations) {
            return invocations.stream().filter(i -> i.function().equals(function)).toList();
        }
    }
}
