package dev.sendsar.local;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;

/** A webhook receiver on 127.0.0.1: records every request and answers what {@code answer} says. */
final class Receiver implements AutoCloseable {
    record Request(String id, int attempt, String timestamp, String signature, String signatureV2, byte[] body,
                   long receivedAtNanos) {
        String bodyText() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    final List<Request> requests = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private volatile Function<Request, Integer> answer;

    Receiver(Function<Request, Integer> answer) throws IOException {
        this.answer = answer;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            var h = exchange.getRequestHeaders();
            String attempt = h.getFirst("X-Webhook-Attempt");
            Request request = new Request(h.getFirst("X-Webhook-Id"), attempt == null ? 0 : Integer.parseInt(attempt),
                    h.getFirst("X-Webhook-Timestamp"), h.getFirst("X-Webhook-Signature"), h.getFirst("X-Webhook-Signature-V2"),
                    body, System.nanoTime());
            requests.add(request);
            int status = this.answer.apply(request);
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    void answer(Function<Request, Integer> answer) {
        this.answer = answer;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    List<Request> of(String eventId) {
        return requests.stream().filter(r -> eventId.equals(r.id())).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
