package dev.sendsar.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sendsar.local.LocalStack;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * End-to-end latency of the send path against a running local stack, and its floor in the same run.
 * <p>
 * A receiver opens a real WebSocket; the other participant, online too with a socket of its own, sends messages through
 * the REST API as the SDK does (its session token, a clientMessageId of its own), one at a time, naming its socket's
 * connection id as the SDK does (that socket
 * gets no frame; the sender's device takes the message from the answer; {@code senderConnectionId} off: it names
 * none and its socket gets a frame too). Each sample is the time from just before the HTTP request is sent to the
 * arrival of the matching {@code new-message} frame at the receiver. Interleaved with every send (alternating which goes first) the floor runs:
 * one bare {@code TransactWriteItems} (a conditional Put and a conditional Update, as the send path does) against
 * the same DynamoDB Local with the functions' own client, then one {@code @connections} post through the same
 * gateway to the same socket, timed until that frame arrives. A {@code GET /v1/realtime} round trip (a route that
 * touches no store) is sampled too, as the cost of the HTTP API and the REST function alone. After every fourth send the
 * four calls a send makes before its put are made bare, one after another and then at once: how much of their
 * overlap this machine and its emulator let through (on AWS their waits are network round trips, which overlap).
 */
public final class LatencyBench {
    private static final Duration FRAME_TIMEOUT = Duration.ofSeconds(10);

    public record Options(int messages, int warmup, boolean senderConnectionId) {
    }

    /** One timed segment of the send path's critical path, up to the frame's arrival. */
    public record Segment(String label, Stats stats, double meanMillis) {
    }

    public record Result(int messages, int warmup, Stats send, Stats sendResponse, Stats floor, Stats floorDynamo,
                         Stats floorPost, Stats stageInTurn, Stats stageAtOnce, Stats restNoop, List<Segment> criticalPath, Map<String, Stats> sdkCalls,
                         Map<String, Double> sdkCallsPerSend, int sent, int delivered, int duplicates, int missing,
                         boolean inSeqOrder, long firstSeq, long lastSeq, List<String> problems,
                         double wruPerSend, double rruPerSend, double refusedPerSend, boolean senderConnectionId) {
        public double ratio() {
            return floor.p50() == 0 ? Double.NaN : (double) send.p50() / floor.p50();
        }

        /**
         * The send's first stage made at once over the same calls made one after another: near 1/4 where the store and
         * the machine serve independent items side by side, 1 where they serve them in turn.
         */
        public double stageRatio() {
            return stageInTurn.p50() == 0 ? Double.NaN : (double) stageAtOnce.p50() / stageInTurn.p50();
        }

        public double p99Ratio() {
            return floor.p99() == 0 ? Double.NaN : (double) send.p99() / floor.p99();
        }

        /** Every message arrived exactly once, in seq order without gaps. */
        public boolean deliveredExactlyOnceInOrder() {
            return delivered == sent && duplicates == 0 && missing == 0 && inSeqOrder && problems.isEmpty();
        }
    }

    private LatencyBench() {
    }

    public static Result run(LocalStack stack, Options options) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        Rest rest = new Rest(http, stack.apiUrl(), stack.apiKey(), mapper);
        String run = UUID.randomUUID().toString().substring(0, 8);
        String receiverId = "bench-receiver-" + run;
        String senderId = "bench-sender-" + run;

        // the bench sends faster than people type: the limit is raised, the sender's counter is written per send all the same
        rest.send("PATCH", "/tenant/settings", "{\"chat\":{\"rateLimits\":{\"sendMessage\":10000}}}", 200);
        rest.post("/users", "{\"id\":\"" + receiverId + "\",\"username\":\"Bench receiver\"}", 200, 201);
        rest.post("/users", "{\"id\":\"" + senderId + "\",\"username\":\"Bench sender\"}", 200, 201);
        String token = rest.post("/auth/token", "{\"userId\":\"" + receiverId + "\"}", 200, 201).path("token").asText();
        String senderToken = rest.post("/auth/token", "{\"userId\":\"" + senderId + "\"}", 200, 201).path("token").asText();
        String roomId = rest.post("/chat/rooms", "{\"name\":\"bench " + run + "\",\"participants\":[{\"id\":\"" + receiverId
                + "\"},{\"id\":\"" + senderId + "\"}]}", 201).path("id").asText();

        Receiver receiver = new Receiver(mapper, roomId);
        Receiver senderDevice = new Receiver(mapper, roomId);
        WebSocket socket = open(http, stack, token, receiver);
        WebSocket senderSocket = open(http, stack, senderToken, senderDevice);
        try {
            String connectionId = hello(socket, receiver);
            String senderConnectionId = hello(senderSocket, senderDevice);

            Floor floor = new Floor(new FloorSend(stack), connectionId, receiver, run);

            List<Long> send = new ArrayList<>();
            List<Long> sendResponse = new ArrayList<>();
            List<Long> floorTotal = new ArrayList<>();
            List<Long> floorDynamo = new ArrayList<>();
            List<Long> floorPost = new ArrayList<>();
            List<Long> stageInTurn = new ArrayList<>();
            List<Long> stageAtOnce = new ArrayList<>();
            List<Long> noop = new ArrayList<>();
            Map<String, List<Long>> calls = new LinkedHashMap<>();
            Map<String, Integer> callCounts = new LinkedHashMap<>();
            Map<String, List<Long>> path = new LinkedHashMap<>();
            List<String> problems = new ArrayList<>();
            double[] capacity = new double[3];

            int total = options.warmup() + options.messages();
            for (int i = 0; i < total; i++) {
                boolean measured = i >= options.warmup();
                if (i % 2 == 0) {
                    floor.sample(i, measured ? floorTotal : null, measured ? floorDynamo : null, measured ? floorPost : null);
                }
                String text = "bench " + run + " message " + i;
                CompletableFuture<Long> arrival = receiver.expect(text);
                // as the SDK sends: the sender's session token and a clientMessageId of its own
                String body = "{\"parts\":[{\"type\":\"text\",\"text\":\"" + text + "\"}],\"clientMessageId\":\""
                        + UUID.randomUUID() + "\"}";
                HttpRequest.Builder builder = rest.request("/chat/rooms/" + roomId + "/messages", "authorization", "Bearer " + senderToken);
                if (options.senderConnectionId()) {
                    builder.header("X-Sendsar-Connection-Id", senderConnectionId);
                }
                HttpRequest request = builder.POST(HttpRequest.BodyPublishers.ofString(body)).build();
                SdkCallTimer.begin();
                long t0 = System.nanoTime();
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                long responded = System.nanoTime();
                if (response.statusCode() != 201) {
                    SdkCallTimer.end();
                    throw new IllegalStateException("Send " + i + " answered HTTP " + response.statusCode() + ": " + response.body());
                }
                if (options.senderConnectionId()) {
                    // what the SDK does with the answer: its stream delivers the message to the sender's app
                    senderDevice.handle(responded, "{\"event\":\"new-message\",\"data\":" + response.body() + "}");
                }
                long arrived = arrival.get(FRAME_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                SdkCallTimer.Capacity used = SdkCallTimer.stopMetering();
                List<SdkCallTimer.Call> sdk = SdkCallTimer.end();
                if (measured) {
                    capacity[0] += used.writeUnits();
                    capacity[1] += used.readUnits();
                    capacity[2] += used.refusedWrites();
                    send.add(arrived - t0);
                    sendResponse.add(responded - t0);
                    for (SdkCallTimer.Call call : sdk) {
                        calls.computeIfAbsent(call.name(), k -> new ArrayList<>()).add(call.nanos());
                        callCounts.merge(call.name(), 1, Integer::sum);
                    }
                    criticalPath(t0, arrived, sdk).forEach((label, nanos) ->
                            path.computeIfAbsent(label, k -> new ArrayList<>()).add(nanos));
                }
                if (i % 2 == 1) {
                    floor.sample(i, measured ? floorTotal : null, measured ? floorDynamo : null, measured ? floorPost : null);
                }
                if (i % 4 == 3) {
                    floor.firstStage(i, measured ? stageInTurn : null, measured ? stageAtOnce : null);
                }
                long n0 = System.nanoTime();
                HttpResponse<String> realtime = http.send(rest.request("/realtime").GET().build(), HttpResponse.BodyHandlers.ofString());
                if (realtime.statusCode() != 200) {
                    throw new IllegalStateException("GET /v1/realtime answered HTTP " + realtime.statusCode());
                }
                if (measured) {
                    noop.add(System.nanoTime() - n0);
                }
            }
            floor.close();
            // a late duplicate would show up here
            Thread.sleep(300);
            problems.addAll(receiver.problems);
            problems.addAll(senderDevice.problems);
            Order own = senderDevice.order(total, run);
            if (own.delivered != total || own.duplicates != 0 || own.missing != 0 || !own.inSeqOrder) {
                problems.add(String.format("the sender's device got %d of its %d messages, %d duplicates, %d missing%s",
                        own.delivered, total, own.duplicates, own.missing, own.inSeqOrder ? "" : ", out of order"));
            }

            List<Segment> segments = new ArrayList<>();
            path.forEach((label, values) -> segments.add(new Segment(label, Stats.of(values),
                    values.stream().mapToLong(Long::longValue).sum() / 1e6 / options.messages())));
            Map<String, Stats> sdkCalls = new LinkedHashMap<>();
            Map<String, Double> perSend = new LinkedHashMap<>();
            calls.forEach((name, values) -> {
                sdkCalls.put(name, Stats.of(values));
                perSend.put(name, callCounts.get(name) / (double) options.messages());
            });

            Order order = receiver.order(total, run);
            return new Result(options.messages(), options.warmup(), Stats.of(send), Stats.of(sendResponse),
                    Stats.of(floorTotal), Stats.of(floorDynamo), Stats.of(floorPost), Stats.of(stageInTurn), Stats.of(stageAtOnce), Stats.of(noop), segments, sdkCalls,
                    perSend, total, order.delivered, order.duplicates, order.missing, order.inSeqOrder, order.firstSeq,
                    order.lastSeq, problems, capacity[0] / options.messages(), capacity[1] / options.messages(),
                    capacity[2] / options.messages(), options.senderConnectionId());
        } finally {
            for (WebSocket s : List.of(socket, senderSocket)) {
                s.sendClose(WebSocket.NORMAL_CLOSURE, "bench done").exceptionally(e -> null);
                s.abort();
            }
        }
    }

    private static WebSocket open(HttpClient http, LocalStack stack, String token, Receiver listener) throws Exception {
        return http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create(stack.wsUrl() + "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)), listener)
                .get(10, TimeUnit.SECONDS);
    }

    /** Says hello, as the SDK does: the socket's connection id, from {@code ready}. */
    private static String hello(WebSocket socket, Receiver listener) throws Exception {
        socket.sendText("{\"action\":\"hello\"}", true).get(5, TimeUnit.SECONDS);
        return listener.ready.get(FRAME_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    /**
     * Splits {@code t0 → arrival} along the SDK calls that ran before the frame arrived, up to the first
     * {@code @connections} post (the one to the receiver): for each call, in start order, the wait since the critical
     * path last advanced, then the part of the call beyond it. Parallel calls (the per-participant connection
     * queries) only count for what they add. The gaps are the HTTP API, the REST function, the thread hops and the
     * socket.
     */
    static Map<String, Long> criticalPath(long t0, long arrived, List<SdkCallTimer.Call> calls) {
        List<SdkCallTimer.Call> sorted = new ArrayList<>(calls);
        sorted.sort((a, b) -> Long.compare(a.startNanos(), b.startNanos()));
        Map<String, Long> segments = new LinkedHashMap<>();
        Map<String, Integer> seen = new LinkedHashMap<>();
        long cursor = t0;
        String previous = "request sent";
        for (SdkCallTimer.Call call : sorted) {
            if (call.startNanos() >= arrived) {
                break;
            }
            long end = Math.min(arrived, call.startNanos() + call.nanos());
            int n = seen.merge(call.name(), 1, Integer::sum);
            String label = call.name() + (n > 1 ? " #" + n : "");
            segments.put("  gap: " + previous + " -> " + label, Math.max(0, call.startNanos() - cursor));
            segments.put(label, Math.max(0, end - Math.max(cursor, call.startNanos())));
            cursor = Math.max(cursor, end);
            previous = label;
            if (call.name().endsWith(".PostToConnection")) {
                break;
            }
        }
        segments.put("  gap: " + previous + " -> frame at client", Math.max(0, arrived - cursor));
        return segments;
    }

    /** REST calls, with the tenant's API key unless a call names another credential. */
    private record Rest(HttpClient http, String apiUrl, String apiKey, ObjectMapper mapper) {
        HttpRequest.Builder request(String path) {
            return request(path, "x-api-key", apiKey);
        }

        /** A JSON request with one credential header. */
        HttpRequest.Builder request(String path, String credentialHeader, String credential) {
            return HttpRequest.newBuilder(URI.create(apiUrl + path)).timeout(Duration.ofSeconds(30))
                    .header(credentialHeader, credential).header("content-type", "application/json");
        }

        JsonNode post(String path, String json, int... expected) throws IOException, InterruptedException {
            return send("POST", path, json, expected);
        }

        JsonNode send(String method, String path, String json, int... expected) throws IOException, InterruptedException {
            HttpResponse<String> response = http.send(request(path).method(method, HttpRequest.BodyPublishers.ofString(json)).build(),
                    HttpResponse.BodyHandlers.ofString());
            for (int status : expected) {
                if (response.statusCode() == status) {
                    return mapper.readTree(response.body());
                }
            }
            throw new IllegalStateException(method + " " + path + " answered HTTP " + response.statusCode() + ": " + response.body());
        }
    }

    /**
     * The floor ({@link FloorSend}) to one socket, timed until its frame arrives there; and the send's first stage
     * ({@link FloorSend#firstStage}) made one call after another, then at once.
     */
    private static final class Floor implements AutoCloseable {
        private final ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "bench-first-stage");
            t.setDaemon(true);
            return t;
        });
        private final FloorSend work;
        private final String connectionId;
        private final Receiver receiver;
        private final String pk;

        Floor(FloorSend work, String connectionId, Receiver receiver, String run) {
            this.work = work;
            this.connectionId = connectionId;
            this.receiver = receiver;
            this.pk = "BENCH#" + run;
        }

        void sample(int i, List<Long> total, List<Long> dynamoPart, List<Long> postPart) throws Exception {
            String key = "floor " + i;
            CompletableFuture<Long> arrival = receiver.expect(key);
            long t0 = System.nanoTime();
            work.transact(pk, i + 1, key);
            long t1 = System.nanoTime();
            work.post(connectionId, key);
            long arrived = arrival.get(FRAME_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (total != null) {
                total.add(arrived - t0);
                dynamoPart.add(t1 - t0);
                postPart.add(arrived - t1);
            }
        }

        void firstStage(long i, List<Long> inTurn, List<Long> atOnce) {
            long t0 = System.nanoTime();
            work.firstStage(pk, 2 * i, false, pool);
            long t1 = System.nanoTime();
            work.firstStage(pk, 2 * i + 1, true, pool);
            long t2 = System.nanoTime();
            if (inTurn != null) {
                inTurn.add(t1 - t0);
                atOnce.add(t2 - t1);
            }
        }

        @Override
        public void close() {
            pool.shutdownNow();
        }
    }

    private record Order(int delivered, int duplicates, int missing, boolean inSeqOrder, long firstSeq, long lastSeq) {
    }

    /** The receiving client: stamps each complete text frame on arrival, then matches it to what is awaited. */
    static final class Receiver extends FrameListener {
        private final ObjectMapper mapper;
        private final String roomId;
        private final Map<String, CompletableFuture<Long>> expected = new ConcurrentHashMap<>();
        private final Map<String, Integer> received = new ConcurrentHashMap<>();
        private final List<Long> seqs = Collections.synchronizedList(new ArrayList<>());
        private final List<String> texts = Collections.synchronizedList(new ArrayList<>());
        private final List<String> problems = Collections.synchronizedList(new ArrayList<>());
        private final AtomicInteger otherFrames = new AtomicInteger();
        final CompletableFuture<String> ready = new CompletableFuture<>();

        Receiver(ObjectMapper mapper, String roomId) {
            this.mapper = mapper;
            this.roomId = roomId;
        }

        CompletableFuture<Long> expect(String key) {
            CompletableFuture<Long> future = new CompletableFuture<>();
            expected.put(key, future);
            return future;
        }

        @Override
        void handle(long at, String text) {
            try {
                JsonNode frame = mapper.readTree(text);
                JsonNode data = frame.path("data");
                switch (frame.path("event").asText()) {
                    case "ready" -> ready.complete(data.path("connectionId").asText());
                    case "new-message" -> {
                        if (roomId.equals(data.path("roomId").asText())) {
                            String key = data.path("parts").path(0).path("text").asText();
                            received.merge(key, 1, Integer::sum);
                            seqs.add(data.path("seq").asLong());
                            texts.add(key);
                            arrived(key, at);
                        }
                    }
                    case "bench-floor" -> arrived(data.path("key").asText(), at);
                    case "error" -> problems.add("error frame: " + text);
                    default -> otherFrames.incrementAndGet();
                }
            } catch (IOException e) {
                problems.add("unreadable frame: " + text);
            }
        }

        private void arrived(String key, long at) {
            CompletableFuture<Long> future = expected.remove(key);
            if (future != null) {
                future.complete(at);
            }
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            fail(new IllegalStateException("socket closed: " + statusCode + " " + reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            fail(error);
        }

        private void fail(Throwable error) {
            ready.completeExceptionally(error);
            expected.values().forEach(f -> f.completeExceptionally(error));
        }

        /** Checks the new-message frames: each sent text once, seqs consecutive in arrival order. */
        Order order(int sent, String run) {
            List<Long> arrivedSeqs;
            synchronized (seqs) {
                arrivedSeqs = new ArrayList<>(seqs);
            }
            int duplicates = 0;
            int missing = 0;
            for (int i = 0; i < sent; i++) {
                int count = received.getOrDefault("bench " + run + " message " + i, 0);
                if (count == 0) {
                    missing++;
                } else {
                    duplicates += count - 1;
                }
            }
            boolean ordered = true;
            for (int i = 1; i < arrivedSeqs.size(); i++) {
                if (arrivedSeqs.get(i) != arrivedSeqs.get(i - 1) + 1) {
                    ordered = false;
                    break;
                }
            }
            long first = arrivedSeqs.isEmpty() ? 0 : arrivedSeqs.get(0);
            long last = arrivedSeqs.isEmpty() ? 0 : arrivedSeqs.get(arrivedSeqs.size() - 1);
            return new Order(arrivedSeqs.size(), duplicates, missing, ordered && first == 1, first, last);
        }
    }
}
