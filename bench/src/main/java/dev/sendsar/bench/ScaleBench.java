package dev.sendsar.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sendsar.domain.Member;
import dev.sendsar.domain.Role;
import dev.sendsar.domain.Room;
import dev.sendsar.local.Invocation;
import dev.sendsar.local.LocalStack;
import dev.sendsar.ports.RoomRepository;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongUnaryOperator;

/**
 * What a send costs and how the send path scales, against the running local stack, in a tenant of its own. Every
 * send is made as the SDK makes it ({@link Sender#SESSION}: the member's session token and a clientMessageId), but
 * for one 1:1 cost room sent to with the API key ({@link Sender#API_KEY}), what the tenant's server pays:
 * <ul>
 *   <li><b>cost</b>: DynamoDB read and write units per send (every call of the send, summed from
 *   {@code ReturnConsumedCapacity=TOTAL}, see {@link SdkCallTimer}) in rooms of 2, 10 and 100 members, all online with
 *   one socket each, sequential sends with a {@code clientMessageId} by two members in turn, as a conversation
 *   goes; send-message's duration as Lambda bills it (the runtime's invocation reports) and the floor's, run after
 *   each send; and from these the bill per million sends at AWS list prices ({@link SendCost}) beside the floor's;</li>
 *   <li><b>busy room</b>: one 50-member room, all online; 1 sender, then 8 senders at once, each back to back, then 8
 *   senders on a timetable of 80 % of the one-sender rate: messages/s and the p99 of the send request;</li>
 *   <li><b>throughput</b>: many 1:1 rooms, both members online, {@code concurrency} senders at once, every message
 *   checked at its receiver (exactly once; per room every seq from 1 without gap), beside the floor (bare
 *   transaction + post, same concurrency), the two taking turns; and one 100-member room with 8 senders;</li>
 *   <li><b>big room</b>: a 1,000-member room, all online: send → last member's frame, and the send request;</li>
 *   <li><b>push</b>: a 1:1 room whose recipient is offline with one FCM token, sequential sends: send → the push's
 *   request at a fake FCM on loopback ({@link FakeFcm}), every push checked to arrive exactly once.</li>
 * </ul>
 * Rooms are created through the API (up to its 90 participants per create); members past 90 are added through the
 * room repository, which writes what {@code POST …/participants} writes minus its membership message and events
 * (1,000 of those would cost the set-up O(N²) posts). A room's first {@link #SENDERS} members are its senders: their
 * sockets said {@code hello}, and like the SDK a sender names its socket's connection id on each send (the socket then
 * gets no frame for it) and takes its own message from the answer ({@code senderConnectionId} off: neither).
 */
public final class ScaleBench {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    /**
     * @param costWarmup unmeasured sends before each cost room's measured ones: the units do not need them, the
     *                   durations do (with {@code --no-latency} the first room's are the JVM's first sends)
     * @param fcm        the fake FCM the stack was started against (its URL in {@code sendsar.fcm-url}); null: no push
     */
    public record Options(int costSends, int costWarmup, int busySends, int throughputRooms, int throughputMessages, int concurrency,
                          int bigRoomMembers, int bigRoomSends, int pushSends, FakeFcm fcm, boolean senderConnectionId) {
    }

    /**
     * Who sends: a member with its session token, as the SDK sends (with a clientMessageId, counted against the
     * member's own rate limit: one counter write per send); or the tenant's server with its API key naming the member
     * (the key's budget is reserved in blocks: no write per send).
     */
    public enum Sender {
        SESSION("session"), API_KEY("API key");

        final String label;

        Sender(String label) {
            this.label = label;
        }
    }

    /** Send → provider request; {@code received} pushes for {@code sends} messages, {@code duplicates} among them. */
    public record Push(int sends, Stats toProvider, Stats request, int received, int duplicates, int tokenRequests) {
    }

    /**
     * Sequential sends in one room: cost and latency. {@code duration}: send-message's invocations as Lambda would
     * bill them (handler in to handler out, timed where the runtime invokes it); {@code invocationsPerSend} of them.
     * {@code routerDuration}: the event router's invocations meanwhile (the stream hands it each new message not
     * stored quiet); {@code routerRecordsPerSend}: the records they carried, per send (locally the poller batches what
     * a quarter second brings; on AWS at a person's pace each record is an invocation of its own).
     */
    public record RoomRun(int members, Sender sender, int sends, double wruPerSend, double rruPerSend, double refusedWritesPerSend, double postsPerSend,
                          Map<String, Double> wruPerSendByCall, Stats request, Stats lastFrame, int missing, int duplicates,
                          boolean gapless, Stats duration, double invocationsPerSend, double queueSendsPerSend,
                          Stats routerDuration, double routerRecordsPerSend) {
    }

    /**
     * {@code cpuBusy1}, {@code cpuBusy8}: the share of the machine's cores this JVM (the whole local stack, emulators
     * included, and the bench's sockets) kept busy during each phase: near 1, the room cannot go faster with more
     * senders, whatever the send path does.
     */
    public record Busy(int members, int sends1, double perSecond1, Stats request1, int sends8, double perSecond8,
                       Stats request8, double refusedWritesPerMessage8, double writeUnitsPerMessage8, Paced paced,
                       int missing, int duplicates, boolean gapless, double cpuBusy1, double cpuBusy8) {
        double throughputRatio() {
            return perSecond1 == 0 ? 0 : perSecond8 / perSecond1;
        }

        double p99Ratio() {
            return request1.p99() == 0 ? 0 : (double) request8.p99() / request1.p99();
        }

        double pacedP99Ratio() {
            return request1.p99() == 0 ? 0 : (double) paced.request().p99() / request1.p99();
        }
    }

    /**
     * The busy room's paced phase: {@code senders} members sending on a timetable of {@code offeredPerSecond} in all
     * ({@link #PACED_SHARE} of the one-sender rate, the throughput the target asks the room to keep), what got through
     * per second, each send from the moment it was due to its answer, and the lost seq races per message.
     */
    public record Paced(int senders, double offeredPerSecond, double achievedPerSecond, Stats request, double refusedWritesPerMessage) {
    }

    /** The paced phase offers this share of the one-sender rate: the throughput the busy-room target asks to keep. */
    static final double PACED_SHARE = 0.8;

    public record Throughput(int rooms, int concurrency, int messages, double deliveredPerSecond, double floorPerSecond,
                             int delivered, int missing, int duplicates, boolean gapless, Stats request,
                             double wruPerSend, double rruPerSend, double postsPerSend,
                             int groupMembers, int groupMessages, double groupMessagesPerSecond, double groupDeliveriesPerSecond,
                             int groupMissing, int groupDuplicates, double cpuMsPerMessage, double floorCpuMsPerOp) {
    }

    /**
     * The read side of the cost scenario: one room list of a user in {@code rooms} 1:1 rooms (each with an unread
     * message), and one read receipt (the reader's cursor moves).
     */
    public record ReadSide(int rooms, double listRru, double receiptWru, double receiptRru) {
    }

    /**
     * @param floorDuration the floor's work ({@link FloorSend}) from its first call to the post's return, what a
     *                      function doing only that would be billed for: one run after each of the cost rooms' sends
     * @param memory        send-message's deployed memory size, the cost's GB-s
     * @param sampleReport  one send-message invocation's REPORT line, as the runtime writes it
     */
    public record Result(List<RoomRun> cost, Stats floorDuration, DeployedMemory memory, String sampleReport, ReadSide readSide,
                         Busy busy, Throughput throughput, RoomRun bigRoom, Push push, List<String> problems,
                         boolean senderConnectionId) {
        boolean ok() {
            boolean costOk = cost.stream().allMatch(r -> r.missing == 0 && r.duplicates == 0 && r.gapless);
            return costOk && problems.isEmpty()
                    && (busy == null || (busy.missing == 0 && busy.duplicates == 0 && busy.gapless))
                    && (throughput == null || (throughput.missing == 0 && throughput.duplicates == 0 && throughput.gapless
                    && throughput.groupMissing == 0 && throughput.groupDuplicates == 0))
                    && (bigRoom == null || (bigRoom.missing == 0 && bigRoom.duplicates == 0))
                    && (push == null || (push.received == push.sends && push.duplicates == 0));
        }
    }

    private final LocalStack stack;
    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String tenantId = "bench-" + run;
    private final Deliveries deliveries = new Deliveries();
    private final List<WebSocket> sockets = Collections.synchronizedList(new ArrayList<>());
    private final ExecutorService pool = Executors.newFixedThreadPool(32);
    private final List<String> problems = Collections.synchronizedList(new ArrayList<>());
    /** Messages stored per room (201s), to check every inbox against. */
    private final Map<String, AtomicInteger> sent = new ConcurrentHashMap<>();
    /** The REPORT line of the last measured send-message invocation. */
    private final java.util.concurrent.atomic.AtomicReference<String> lastReport = new java.util.concurrent.atomic.AtomicReference<>();
    private String apiKey;
    /** Members per room that send (busy rooms and the group send with 8 at once). */
    private static final int SENDERS = 8;
    /** The senders' sockets, by room id + " " + user id. */
    private final Map<String, Inbox> senderSockets = new ConcurrentHashMap<>();
    /** Session tokens by user id. */
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private final boolean senderConnectionId;

    private ScaleBench(LocalStack stack, boolean senderConnectionId) {
        this.stack = stack;
        this.senderConnectionId = senderConnectionId;
    }

    public static Result run(LocalStack stack, Options options, Set<String> scenarios) throws Exception {
        ScaleBench bench = new ScaleBench(stack, options.senderConnectionId());
        try {
            return bench.runAll(options, scenarios);
        } finally {
            bench.pool.shutdownNow();
        }
    }

    private Result runAll(Options o, Set<String> scenarios) throws Exception {
        JsonNode tenant = call("POST", "/admin/tenants", "{\"id\":\"" + tenantId + "\",\"name\":\"bench\"}", true, 201);
        apiKey = tenant.path("apiKey").asText();
        // the bench sends faster than people type: the limit is raised, the counter is written per send all the same
        call("PATCH", "/tenant/settings", "{\"chat\":{\"rateLimits\":{\"sendMessage\":10000}}}", false, 200);
        List<RoomRun> cost = new ArrayList<>();
        Stats floorDuration = null;
        DeployedMemory memory = null;
        ReadSide readSide = null;
        Busy busy = null;
        Throughput throughput = null;
        RoomRun big = null;
        BenchRoom room100 = null;
        if (scenarios.contains("cost")) {
            FloorTimer floor = new FloorTimer();
            for (int n : List.of(2, 10, 100)) {
                System.out.printf("  cost: %d-member room, %d sends…%n", n, o.costSends());
                BenchRoom room = room("c" + n, n);
                cost.add(sequential(room, o.costSends(), o.costWarmup(), floor, Sender.SESSION));
                if (n == 100) {
                    room100 = room;
                }
                if (n == 2) {
                    System.out.printf("  cost: 2-member room, %d sends with the API key…%n", o.costSends());
                    cost.add(sequential(room("k2", 2), o.costSends(), o.costWarmup(), floor, Sender.API_KEY));
                }
            }
            floorDuration = Stats.of(floor.durations);
            memory = DeployedMemory.of(SEND_FUNCTION, DeployedMemory.CDK_JSON);
            System.out.printf("  cost: a room list of %d rooms and a read receipt…%n", LISTED_ROOMS);
            readSide = readSide(LISTED_ROOMS);
        }
        if (scenarios.contains("busy")) {
            System.out.printf("  busy room: 50 members, 1 sender, 8 senders, 8 senders paced, %d sends each phase…%n", o.busySends());
            busy = busy(room("b", 50), o.busySends());
        }
        if (scenarios.contains("throughput")) {
            System.out.printf("  throughput: %d 1:1 rooms, %d senders at once, %d messages…%n", o.throughputRooms(),
                    o.concurrency(), o.throughputMessages());
            throughput = throughput(o, room100 != null ? room100 : room("g", 100));
        }
        if (scenarios.contains("big")) {
            System.out.printf("  big room: %d members, %d sends…%n", o.bigRoomMembers(), o.bigRoomSends());
            big = sequential(room("k", o.bigRoomMembers()), o.bigRoomSends(), 3, null, Sender.SESSION);
        }
        Push push = null;
        if (scenarios.contains("push") && o.fcm() != null) {
            System.out.printf("  push: 1:1 room, recipient offline with one FCM token, %d sends…%n", o.pushSends());
            push = push(o.fcm(), o.pushSends(), 5);
        }
        return new Result(cost, floorDuration, memory, lastReport.get(), readSide, busy, throughput, big, push, problems,
                senderConnectionId);
    }

    /** Rooms of the user whose room list the cost scenario reads. */
    static final int LISTED_ROOMS = 20;

    /**
     * A reader in {@code rooms} 1:1 rooms, each with one message from the other member: the read units of one list of
     * them all (what a room list, the {@code ready} frame's unread total and a push badge read), then the units of one
     * read receipt. Checked: every room listed, each with its one unread message, and none unread after the receipt.
     */
    private ReadSide readSide(int rooms) throws Exception {
        String reader = "l-" + run + "-reader";
        List<String> roomIds = parallel(java.util.stream.IntStream.range(0, rooms).boxed().toList(), i -> {
            String partner = "l-" + run + "-" + i;
            String roomId = call("POST", "/chat/rooms", "{\"participants\":[{\"id\":\"" + reader + "\"},{\"id\":\""
                    + partner + "\"}]}", false, 201).path("id").asText();
            send(roomId, partner, "unread " + i);
            return roomId;
        });
        String list = "/chat/rooms?participantId=" + reader + "&limit=" + rooms;
        call("GET", list, "", false, 200); // warm: the first list of a fresh instance is not the one measured
        SdkCallTimer.meter();
        JsonNode listed = call("GET", list, "", false, 200);
        double listRru = SdkCallTimer.stopMetering().readUnits();
        int unread = 0;
        for (JsonNode room : listed.path("rooms")) {
            unread += room.path("unreadCount").asInt();
        }
        if (listed.path("rooms").size() != rooms || unread != rooms) {
            problems.add("room list: " + listed.path("rooms").size() + " rooms with " + unread + " unread, expected "
                    + rooms + " with 1 each");
        }
        String roomId = roomIds.get(0);
        String newest = call("GET", "/chat/rooms/" + roomId + "/messages?limit=1&viewerId=" + reader, "", false, 200)
                .path("messages").path(0).path("id").asText();
        SdkCallTimer.meter();
        JsonNode receipt = call("POST", "/chat/rooms/" + roomId + "/read", "{\"lastReadMessageId\":\"" + newest
                + "\",\"userId\":\"" + reader + "\"}", false, 200);
        SdkCallTimer.Capacity used = SdkCallTimer.stopMetering();
        if (receipt.path("unreadCount").asInt(-1) != 0) {
            problems.add("read receipt left " + receipt.path("unreadCount") + " unread");
        }
        return new ReadSide(rooms, listRru, used.writeUnits(), used.readUnits());
    }

    /**
     * Sequential sends to an offline recipient, each awaited at the fake FCM: the time from the send request to the
     * provider request is the stream router's and the push queue's pickup plus the push worker's reads and call.
     */
    private Push push(FakeFcm fcm, int sends, int warmup) throws Exception {
        java.security.KeyPairGenerator rsa = java.security.KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        String privateKey = "-----BEGIN PRIVATE KEY-----\n" + java.util.Base64.getMimeEncoder(64, new byte[]{'\n'})
                .encodeToString(rsa.generateKeyPair().getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        var serviceAccount = mapper.createObjectNode().put("type", "service_account").put("project_id", "bench")
                .put("private_key_id", "k1").put("private_key", privateKey).put("client_id", "1")
                .put("client_email", "push@bench.iam.gserviceaccount.com").put("token_uri", fcm.url() + "/token");
        var patch = mapper.createObjectNode();
        patch.putObject("push").putObject("fcm").put("serviceAccountJson", serviceAccount.toString());
        call("PATCH", "/tenant/settings", patch.toString(), false, 200);
        String sender = "p-" + run + "-sender";
        String recipient = "p-" + run + "-offline";
        String roomId = call("POST", "/chat/rooms", "{\"participants\":[{\"id\":\"" + sender + "\"},{\"id\":\"" + recipient
                + "\"}]}", false, 201).path("id").asText();
        String token = "bench-fcm-" + run;
        call("POST", "/users/" + recipient + "/device-tokens", "{\"provider\":\"FCM\",\"token\":\"" + token + "\"}", false, 201);
        fcm.received.clear();
        List<Long> toProvider = new ArrayList<>();
        List<Long> request = new ArrayList<>();
        for (int i = 0; i < warmup + sends; i++) {
            String text = "push " + run + " " + i;
            long t0 = System.nanoTime();
            send(roomId, sender, text);
            long responded = System.nanoTime();
            FakeFcm.Request got = fcm.received.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (got == null) {
                problems.add("push " + i + " never reached the fake FCM");
                break;
            }
            if (!got.body().contains(token)) {
                problems.add("push " + i + " went to another token");
            }
            if (i >= warmup) {
                toProvider.add(got.atNanos() - t0);
                request.add(responded - t0);
            }
        }
        // Anything arriving after the last awaited push would be a second push of some message.
        FakeFcm.Request extra = fcm.received.poll(3, TimeUnit.SECONDS);
        int duplicates = extra == null ? 0 : 1 + fcm.received.size();
        return new Push(sends, Stats.of(toProvider), Stats.of(request), toProvider.size(), duplicates, fcm.tokenRequests.get());
    }

    /** The function a send invokes (RouteTable's name for it), whose duration the cost prices. */
    static final String SEND_FUNCTION = "send-message";
    /** The stream worker every new message invokes (its event source hands it the message's record). */
    static final String ROUTER_FUNCTION = "event-router";

    /**
     * Sequential sends with a clientMessageId by members 0 and 1 in turn (a conversation: what a send writes depends
     * on who sent the message before it), each awaited until every member's socket has it, and after each one run of
     * the floor when {@code besides} is given. The runtime reports each send-message invocation before
     * it answers, so a send's invocations are in before its 201.
     */
    private RoomRun sequential(BenchRoom room, int sends, int warmup, FloorTimer besides, Sender sender) throws Exception {
        List<Long> request = new ArrayList<>();
        List<Long> lastFrame = new ArrayList<>();
        List<Long> refused = new ArrayList<>();
        List<Long> durations = new ArrayList<>();
        double wru = 0;
        double rru = 0;
        double posts = 0;
        double queueSends = 0;
        Map<String, Double> byCall = new java.util.TreeMap<>();
        List<Invocation> invocations = Collections.synchronizedList(new ArrayList<>());
        List<Long> routed = Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicInteger routedRecords = new java.util.concurrent.atomic.AtomicInteger();
        try (AutoCloseable listening = stack.onInvocation(i -> {
            if (i.function().equals(SEND_FUNCTION)) {
                invocations.add(i);
            } else if (i.function().equals(ROUTER_FUNCTION)) {
                routed.add(i.durationNanos());
                routedRecords.addAndGet(i.records());
            }
        })) {
            for (int i = 0; i < warmup + sends; i++) {
                boolean measured = i >= warmup;
                if (i == warmup) {
                    // the router's batches lag the sends by up to a quarter second: the warm-up's last records come
                    // in here and the measured sends' last ones after the loop, about even at a steady pace
                    routed.clear();
                    routedRecords.set(0);
                }
                String text = room.id + " seq " + i;
                CompletableFuture<Long> all = deliveries.expect(text, room.members.size());
                invocations.clear();
                SdkCallTimer.meter();
                long t0 = System.nanoTime();
                send(room.id, room.members.get(i % Math.min(2, room.members.size())), text, "c-" + i, sender);
                long responded = System.nanoTime();
                long last = all.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                SdkCallTimer.Capacity used = SdkCallTimer.stopMetering();
                if (measured) {
                    request.add(responded - t0);
                    lastFrame.add(last - t0);
                    wru += used.writeUnits();
                    rru += used.readUnits();
                    posts += used.posts();
                    queueSends += used.queueSends();
                    used.writeUnitsByCall().forEach((call, units) -> byCall.merge(call, units / sends, Double::sum));
                    refused.add(used.refusedWrites());
                    synchronized (invocations) {
                        // less the bench's own reads inside the send (metering reads a transaction's items back)
                        invocations.forEach(invocation -> durations.add(invocation.durationNanos() - used.meteringNanos() / invocations.size()));
                        if (!invocations.isEmpty()) {
                            lastReport.set(invocations.get(0).reportLine());
                        }
                    }
                }
                if (besides != null) {
                    besides.run(measured);
                }
            }
        }
        Check check = room.check();
        double refusedPerSend = refused.stream().mapToLong(Long::longValue).sum() / (double) sends;
        List<Long> routerDurations;
        synchronized (routed) {
            routerDurations = List.copyOf(routed);
        }
        return new RoomRun(room.members.size(), sender, sends, wru / sends, rru / sends, refusedPerSend, posts / sends, byCall, Stats.of(request),
                Stats.of(lastFrame), check.missing, check.duplicates, check.gapless, Stats.of(durations),
                durations.size() / (double) sends, queueSends / sends, Stats.of(routerDurations), routedRecords.get() / (double) sends);
    }

    /**
     * The floor's duration: {@link FloorSend} to a socket of its own, timed from its first call to the post's return
     * (when a function doing only that would return), each frame awaited before the next. The cost scenario runs it
     * after each send, so the two share whatever else the machine is doing.
     */
    private final class FloorTimer {
        private final FloorSend work = new FloorSend(stack);
        private final String connection = helloSocket("floor-cost");
        private final String pk = "BENCH#" + run + "#cost";
        private final List<Long> durations = new ArrayList<>();
        private long seq;

        FloorTimer() throws Exception {
        }

        void run(boolean measured) throws Exception {
            String key = "floor cost " + run + " " + ++seq;
            CompletableFuture<Long> arrived = deliveries.expect(key, 1);
            long t0 = System.nanoTime();
            work.transact(pk, seq, key);
            work.post(connection, key);
            long returned = System.nanoTime();
            arrived.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (measured) {
                durations.add(returned - t0);
            }
        }
    }

    private Busy busy(BenchRoom room, int sends) throws Exception {
        // warm-up: each of the 8 senders twice, in turn; then one sender, back to back
        int senders = 8;
        for (int i = 0; i < 2 * senders; i++) {
            send(room.id, room.members.get(i % senders), room.id + " warm " + i);
        }
        List<Long> one = new ArrayList<>();
        // metered like the eight senders below (metering reads every transaction's updated item back), so the two
        // rates compare like with like
        SdkCallTimer.meter();
        long t0 = System.nanoTime();
        long cpu0 = processCpuNanos();
        for (int i = 0; i < sends; i++) {
            long s = System.nanoTime();
            send(room.id, room.members.get(0), room.id + " one " + i);
            one.add(System.nanoTime() - s);
        }
        double cpuBusy1 = busyShare(cpu0, t0);
        double perSecond1 = sends / ((System.nanoTime() - t0) / 1e9);
        SdkCallTimer.stopMetering();
        // eight senders at a person's pace (before the back-to-back phase, so it does not run on a warmer JVM)
        Paced paced = paced(room, sends, senders, PACED_SHARE * perSecond1);
        // eight senders at once, back to back, the same number of messages in all
        SdkCallTimer.meter();
        long t1 = System.nanoTime();
        long cpu1 = processCpuNanos();
        List<Long> eight = sendTogether(room, sends, senders, "eight", k -> System.nanoTime());
        double cpuBusy8 = busyShare(cpu1, t1);
        double perSecond8 = sends / ((System.nanoTime() - t1) / 1e9);
        // lost seq races: what contention costs in writes, whatever the machine's load; and the units the sends wrote
        // (with senders taking turns, some pass a read position to a cursor: see docs/decisions.md, sending marks read)
        SdkCallTimer.Capacity used8 = SdkCallTimer.stopMetering();
        double refused8 = used8.refusedWrites() / (double) sends;
        Check check = room.awaitAndCheck();
        return new Busy(room.members.size(), sends, perSecond1, Stats.of(one), sends, perSecond8, Stats.of(eight),
                refused8, used8.writeUnits() / sends, paced, check.missing, check.duplicates, check.gapless, cpuBusy1, cpuBusy8);
    }

    /**
     * {@code senders} members send {@code sends} messages in all on a fixed timetable of {@code perSecond} (open loop:
     * message k is due at k / perSecond, from member k mod senders, whether or not its previous send has answered),
     * and each request is timed from the moment it was due, so a send that waited for its sender's previous one counts
     * that wait. This is how several people typing in one group send: at their own pace, not as fast as the server
     * answers; a closed loop of 8 back-to-back senders measures a queue instead (see {@link Busy}).
     */
    private Paced paced(BenchRoom room, int sends, int senders, double perSecond) throws Exception {
        long intervalNanos = (long) (1e9 / perSecond);
        long start = System.nanoTime() + 50_000_000L;
        SdkCallTimer.meter();
        List<Long> latencies = sendTogether(room, sends, senders, "paced", k -> start + k * intervalNanos);
        double achieved = sends / ((System.nanoTime() - start) / 1e9);
        SdkCallTimer.Capacity used = SdkCallTimer.stopMetering();
        return new Paced(senders, perSecond, achieved, Stats.of(latencies), used.refusedWrites() / (double) sends);
    }

    /**
     * The room's first {@code senders} members send {@code sends} messages in all at once, member s messages s,
     * s + senders, …, each in turn not before {@code due.applyAsLong(k)} (a {@link System#nanoTime()}); returns each
     * send's time from its due moment to its answer.
     */
    private List<Long> sendTogether(BenchRoom room, int sends, int senders, String label,
                                    LongUnaryOperator due) throws Exception {
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            String sender = room.members.get(s);
            int from = s;
            tasks.add(() -> {
                for (int k = from; k < sends; k += senders) {
                    long at = due.applyAsLong(k);
                    for (long wait = at - System.nanoTime(); wait > 0; wait = at - System.nanoTime()) {
                        LockSupport.parkNanos(wait);
                    }
                    send(room.id, sender, room.id + " " + label + " " + k);
                    latencies.add(System.nanoTime() - at);
                }
                return null;
            });
        }
        for (Future<Void> f : pool.invokeAll(tasks)) {
            f.get();
        }
        return latencies;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** This JVM's CPU time since {@code cpuFrom} over the wall time since {@code wallFrom} on all cores. */
    private static double busyShare(long cpuFrom, long wallFrom) {
        long wall = System.nanoTime() - wallFrom;
        return wall <= 0 ? 0 : (processCpuNanos() - cpuFrom) / (double) wall / Runtime.getRuntime().availableProcessors();
    }

    private Throughput throughput(Options o, BenchRoom group) throws Exception {
        List<BenchRoom> rooms = new ArrayList<>();
        for (int r = 0; r < o.throughputRooms(); r++) {
            rooms.add(room("t" + r, 2));
        }
        int c = o.concurrency();
        int total = o.throughputMessages();
        // warm-up: one message per room
        for (BenchRoom room : rooms) {
            send(room.id, room.members.get(0), room.id + " w");
        }
        // DynamoDB use per send, metered on one more message per room before the timed run: metering reads every
        // transaction's updated item back to bill it as AWS does, a read the floor does not pay, so it stays out of
        // the timed sends
        SdkCallTimer.meter();
        for (BenchRoom room : rooms) {
            send(room.id, room.members.get(1), room.id + " metered");
        }
        SdkCallTimer.Capacity used = SdkCallTimer.stopMetering();
        // ours and the floor take turns, a third of the messages each time, so a machine whose speed drifts during the
        // run (a shared host's does) weighs on both alike; each side's rate is its messages over its own time
        List<Long> request = Collections.synchronizedList(new ArrayList<>());
        Floor floor = new Floor(c);
        long ourNanos = 0;
        long ourCpu = 0;
        for (int turn = 0; turn < TURNS; turn++) {
            int from = total * turn / TURNS;
            int to = total * (turn + 1) / TURNS;
            AtomicInteger next = new AtomicInteger(from);
            List<Callable<Void>> tasks = new ArrayList<>();
            for (int t = 0; t < c; t++) {
                tasks.add(() -> {
                    for (int i = next.getAndIncrement(); i < to; i = next.getAndIncrement()) {
                        BenchRoom room = rooms.get(i % rooms.size());
                        int round = i / rooms.size();
                        long start = System.nanoTime();
                        send(room.id, room.members.get(round % 2), room.id + " m " + i);
                        request.add(System.nanoTime() - start);
                    }
                    return null;
                });
            }
            long t0 = System.nanoTime();
            long cpu0 = processCpuNanos();
            for (Future<Void> f : pool.invokeAll(tasks)) {
                f.get();
            }
            ourNanos += deliveries.awaitAll(rooms.stream().map(r -> r.id + " m ").toList(), TIMEOUT) - t0;
            ourCpu += processCpuNanos() - cpu0;
            floor.run(to - from);
        }
        double cpuMsPerMessage = ourCpu / 1e6 / total;
        double perSecond = total / (ourNanos / 1e9);
        int missing = 0;
        int duplicates = 0;
        boolean gapless = true;
        for (BenchRoom room : rooms) {
            Check check = room.awaitAndCheck();
            missing += check.missing;
            duplicates += check.duplicates;
            gapless &= check.gapless;
        }
        // each message reaches both members' sockets: the receiver's delivery is the one counted
        int delivered = total;

        // one 100-member room, 8 senders at once
        int groupMessages = Math.max(80, total / 20);
        List<Callable<Void>> groupTasks = new ArrayList<>();
        for (int s = 0; s < 8; s++) {
            String sender = group.members.get(s);
            int from = s;
            groupTasks.add(() -> {
                for (int i = from; i < groupMessages; i += 8) {
                    send(group.id, sender, group.id + " tg " + i);
                }
                return null;
            });
        }
        List<String> groupKeys = new ArrayList<>();
        for (int i = 0; i < groupMessages; i++) {
            groupKeys.add(group.id + " tg " + i);
            deliveries.expect(group.id + " tg " + i, group.members.size());
        }
        long g0 = System.nanoTime();
        for (Future<Void> f : pool.invokeAll(groupTasks)) {
            f.get();
        }
        long groupLast = deliveries.awaitKeys(groupKeys, TIMEOUT);
        double groupPerSecond = groupMessages / ((groupLast - g0) / 1e9);
        Check groupCheck = group.awaitAndCheck();
        return new Throughput(rooms.size(), c, total, perSecond, floor.perSecond(), delivered, missing, duplicates, gapless,
                Stats.of(request), used.writeUnits() / rooms.size(), used.readUnits() / rooms.size(),
                used.posts() / (double) rooms.size(), group.members.size(), groupMessages, groupPerSecond, groupPerSecond * group.members.size(),
                groupCheck.missing, groupCheck.duplicates, cpuMsPerMessage, floor.cpuMsPerOp());
    }

    /** Turns ours and the floor take in the throughput scenario, each with a share of the messages. */
    static final int TURNS = 3;

    /**
     * The floor's throughput: {@code concurrency} threads each running the floor ({@link FloorSend}) to a socket of its
     * own, in turns ({@link #run}); its rate and this JVM's CPU time per operation over all turns.
     */
    private final class Floor {
        private final FloorSend floor = new FloorSend(stack);
        private final List<String> connections = new ArrayList<>();
        private final AtomicLong[] seqs;
        private int done;
        private long nanos;
        private long cpu;

        Floor(int concurrency) throws Exception {
            seqs = new AtomicLong[concurrency];
            for (int t = 0; t < concurrency; t++) {
                connections.add(helloSocket("floor-" + t));
                seqs[t] = new AtomicLong();
            }
        }

        /** {@code ops} more operations, shared by the threads. */
        void run(int ops) throws Exception {
            int from = done;
            int to = done + ops;
            AtomicInteger next = new AtomicInteger(from);
            List<Callable<Void>> tasks = new ArrayList<>();
            List<String> keys = new ArrayList<>();
            for (int i = from; i < to; i++) {
                keys.add("floor " + run + " " + i);
                deliveries.expect("floor " + run + " " + i, 1);
            }
            for (int t = 0; t < connections.size(); t++) {
                String pk = "BENCH#" + run + "#" + t;
                String connection = connections.get(t);
                AtomicLong seq = seqs[t];
                tasks.add(() -> {
                    for (int i = next.getAndIncrement(); i < to; i = next.getAndIncrement()) {
                        String key = "floor " + run + " " + i;
                        floor.transact(pk, seq.incrementAndGet(), key);
                        floor.post(connection, key);
                    }
                    return null;
                });
            }
            long t0 = System.nanoTime();
            long cpu0 = processCpuNanos();
            for (Future<Void> f : pool.invokeAll(tasks)) {
                f.get();
            }
            nanos += deliveries.awaitKeys(keys, TIMEOUT) - t0;
            cpu += processCpuNanos() - cpu0;
            done = to;
        }

        double perSecond() {
            return done / (nanos / 1e9);
        }

        double cpuMsPerOp() {
            return cpu / 1e6 / done;
        }
    }

    // ---- set-up -------------------------------------------------------------------------------------------------

    /** A room of {@code n} members, every member online with one socket. */
    private BenchRoom room(String name, int n) throws Exception {
        List<String> members = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            members.add(name + "-" + run + "-" + i);
        }
        StringBuilder participants = new StringBuilder();
        int inCreate = Math.min(n, 90);
        for (int i = 0; i < inCreate; i++) {
            participants.append(i == 0 ? "" : ",").append("{\"id\":\"").append(members.get(i)).append("\"}");
        }
        String roomId = call("POST", "/chat/rooms", "{\"name\":\"" + name + "\",\"participants\":[" + participants + "]}",
                false, 201).path("id").asText();
        long setUpSeqs = 0;
        if (n > inCreate) {
            RoomRepository repository = stack.context().getBean(RoomRepository.class);
            parallel(members.subList(inCreate, n), id -> call("POST", "/users", "{\"id\":\"" + id + "\"}", false, 200, 201));
            for (String id : members.subList(inCreate, n)) {
                boolean added = false;
                for (int attempt = 0; attempt < 10 && !added; attempt++) {
                    Room room = repository.find(tenantId, roomId).orElseThrow();
                    // a member change commits with its record in the timeline (as the API's add does)
                    added = repository.addMember(tenantId, room, Member.joining(roomId, id, id, Role.MEMBER, Instant.now().toString()),
                            seq -> dev.sendsar.domain.Message.posted(dev.sendsar.domain.Ids.messageId(seq), roomId, seq, id,
                                    List.of(Map.of("type", "data-membership", "data", Map.of("action", "joined", "targetUserId", id))),
                                    "", null, Instant.now().toString(), null)).isPresent();
                }
                if (!added) {
                    throw new IllegalStateException("Could not add " + id);
                }
            }
            setUpSeqs = repository.find(tenantId, roomId).orElseThrow().lastSeq();
        }
        BenchRoom room = new BenchRoom(roomId, members, setUpSeqs);
        List<Inbox> inboxes = parallel(members, id -> open(id, roomId));
        room.inboxes.addAll(inboxes);
        for (int i = 0; i < Math.min(SENDERS, n); i++) {
            hello(inboxes.get(i));
            senderSockets.put(roomId + " " + members.get(i), inboxes.get(i));
        }
        return room;
    }

    private Inbox open(String userId, String roomId) throws Exception {
        String token = tokenOf(userId);
        Inbox inbox = new Inbox(roomId);
        WebSocket socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .buildAsync(URI.create(stack.wsUrl() + "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)), inbox)
                .get(30, TimeUnit.SECONDS);
        sockets.add(socket);
        inbox.socket = socket;
        return inbox;
    }

    /** The user's session token, as the tenant's server mints it for its client (one per user). */
    private String tokenOf(String userId) throws IOException, InterruptedException {
        String token = tokens.get(userId);
        if (token == null) {
            token = call("POST", "/auth/token", "{\"userId\":\"" + userId + "\"}", false, 200, 201).path("token").asText();
            tokens.put(userId, token);
        }
        return token;
    }

    /** A socket that said hello, for the floor's posts: its connection id. */
    private String helloSocket(String name) throws Exception {
        String userId = name + "-" + run;
        call("POST", "/users", "{\"id\":\"" + userId + "\"}", false, 200, 201);
        Inbox inbox = open(userId, null);
        return hello(inbox);
    }

    /** Says hello on the socket, as the SDK does: its connection id, from {@code ready}. */
    private static String hello(Inbox inbox) throws Exception {
        inbox.socket.sendText("{\"action\":\"hello\"}", true).get(10, TimeUnit.SECONDS);
        return inbox.ready.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    /** A send as the SDK makes it, with a clientMessageId of its own (see the other). */
    private void send(String roomId, String senderId, String text) throws Exception {
        send(roomId, senderId, text, UUID.randomUUID().toString(), Sender.SESSION);
    }

    /**
     * A send; as the SDK makes it ({@link Sender#SESSION}): with the sender's session token, naming the sender's socket
     * (that socket gets no frame for it), the message taken from the answer into the sender's inbox instead.
     */
    private void send(String roomId, String senderId, String text, String clientMessageId, Sender sender) throws Exception {
        String body = "{\"parts\":[{\"type\":\"text\",\"text\":\"" + text + "\"}]"
                + (sender == Sender.API_KEY ? ",\"senderId\":\"" + senderId + "\"" : "")
                + ",\"clientMessageId\":\"" + clientMessageId + "\"}";
        Inbox own = senderConnectionId ? senderSockets.get(roomId + " " + senderId) : null;
        String path = "/chat/rooms/" + roomId + "/messages";
        HttpRequest.Builder request = sender == Sender.API_KEY ? request(path, false)
                : request(path, "authorization", "Bearer " + tokenOf(senderId));
        if (own != null) {
            request.header("X-Sendsar-Connection-Id", own.ready.get());
        }
        HttpResponse<String> response = http.send(request.POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("Send answered HTTP " + response.statusCode() + ": " + response.body());
        }
        if (own != null) {
            own.handle(System.nanoTime(), "{\"event\":\"new-message\",\"data\":" + response.body() + "}");
        }
        sent.computeIfAbsent(roomId, k -> new AtomicInteger()).incrementAndGet();
    }

    private HttpRequest.Builder request(String path, boolean admin) {
        return request(path, admin ? "x-admin-key" : "x-api-key", admin ? stack.adminKey() : apiKey);
    }

    /** A JSON request with one credential header. */
    private HttpRequest.Builder request(String path, String credentialHeader, String credential) {
        return HttpRequest.newBuilder(URI.create(stack.apiUrl() + path)).timeout(TIMEOUT)
                .header(credentialHeader, credential).header("content-type", "application/json");
    }

    private JsonNode call(String method, String path, String json, boolean admin, int... expected) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request(path, admin).method(method, HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        for (int status : expected) {
            if (response.statusCode() == status) {
                return mapper.readTree(response.body());
            }
        }
        throw new IllegalStateException(method + " " + path + " answered HTTP " + response.statusCode() + ": " + response.body());
    }

    private interface Work<T, R> {
        R apply(T t) throws Exception;
    }

    private <T, R> List<R> parallel(List<T> items, Work<T, R> work) throws Exception {
        List<Future<R>> futures = new ArrayList<>();
        for (T item : items) {
            futures.add(pool.submit(() -> work.apply(item)));
        }
        List<R> results = new ArrayList<>();
        for (Future<R> f : futures) {
            results.add(f.get());
        }
        return results;
    }

    // ---- receiving ----------------------------------------------------------------------------------------------

    private record Check(int missing, int duplicates, boolean gapless) {
    }

    private final class BenchRoom {
        final String id;
        final List<String> members;
        final List<Inbox> inboxes = new ArrayList<>();

        /** Seqs the set-up used (records of members added past the create's limit): sockets opened after them. */
        final long setUpSeqs;

        BenchRoom(String id, List<String> members, long setUpSeqs) {
            this.id = id;
            this.members = members;
            this.setUpSeqs = setUpSeqs;
        }

        /** Every inbox got every seq after the set-up's to the number of messages stored in the room exactly once. */
        Check check() {
            int missing = 0;
            int duplicates = 0;
            boolean gapless = true;
            long expectedLast = stored();
            for (Inbox inbox : inboxes) {
                gapless &= inbox.maxSeq() <= expectedLast + setUpSeqs;
            }
            for (Inbox inbox : inboxes) {
                List<Long> seqs = inbox.seqs();
                duplicates += inbox.duplicates.get();
                java.util.BitSet seen = new java.util.BitSet();
                for (long stored : seqs) {
                    long s = stored - setUpSeqs;
                    if (s < 1) {
                        gapless = false;
                        continue;
                    }
                    if (seen.get((int) s)) {
                        duplicates++;
                    }
                    seen.set((int) s);
                }
                int have = seen.get(1, (int) expectedLast + 1).cardinality();
                missing += (int) expectedLast - have;
                gapless &= have == expectedLast && seen.nextSetBit(0) == 1;
            }
            return new Check(missing, duplicates, gapless);
        }

        int stored() {
            AtomicInteger n = sent.get(id);
            return n == null ? 0 : n.get();
        }

        /** Waits (bounded) until every inbox has as many frames as the room has messages, then checks them. */
        Check awaitAndCheck() throws InterruptedException {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (System.nanoTime() < deadline && inboxes.stream().anyMatch(i -> i.seqs().size() < stored())) {
                Thread.sleep(10);
            }
            return check();
        }
    }

    /** Who is waiting for which text, and how many sockets have it. */
    private static final class Deliveries {
        private record Waiting(int expected, AtomicInteger got, AtomicLong last, CompletableFuture<Long> done) {
        }

        private final Map<String, Waiting> waiting = new ConcurrentHashMap<>();
        private final Map<String, Long> lastByPrefix = new ConcurrentHashMap<>();
        private final AtomicLong lastArrival = new AtomicLong();

        CompletableFuture<Long> expect(String key, int sockets) {
            Waiting w = new Waiting(sockets, new AtomicInteger(), new AtomicLong(), new CompletableFuture<>());
            waiting.put(key, w);
            return w.done;
        }

        void arrived(String key, long at) {
            lastArrival.accumulateAndGet(at, Math::max);
            Waiting w = waiting.get(key);
            if (w != null) {
                w.last.accumulateAndGet(at, Math::max);
                if (w.got.incrementAndGet() == w.expected) {
                    w.done.complete(w.last.get());
                    waiting.remove(key);
                }
            }
        }

        long awaitKeys(List<String> keys, Duration timeout) throws Exception {
            long last = 0;
            long deadline = System.nanoTime() + timeout.toNanos();
            for (String key : keys) {
                Waiting w = waiting.get(key);
                if (w != null) {
                    last = Math.max(last, w.done.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
                }
            }
            return Math.max(last, lastArrival.get());
        }

        /** Waits until no new-message frame has arrived for 300 ms (bounded), and returns the last arrival. */
        long awaitAll(List<String> prefixes, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            long seen = -1;
            while (System.nanoTime() < deadline) {
                long now = lastArrival.get();
                if (now == seen && System.nanoTime() - now > 300_000_000L) {
                    break;
                }
                seen = now;
                Thread.sleep(50);
            }
            return lastArrival.get();
        }
    }

    /** One member's socket: every new-message frame of its room, by seq and text. */
    private final class Inbox extends FrameListener {
        private final String roomId;
        private final List<Long> seqs = Collections.synchronizedList(new ArrayList<>());
        private final Set<String> texts = ConcurrentHashMap.newKeySet();
        final AtomicInteger duplicates = new AtomicInteger();
        final CompletableFuture<String> ready = new CompletableFuture<>();
        volatile WebSocket socket;

        Inbox(String roomId) {
            this.roomId = roomId;
        }

        List<Long> seqs() {
            synchronized (seqs) {
                return new ArrayList<>(seqs);
            }
        }

        long maxSeq() {
            return seqs().stream().mapToLong(Long::longValue).max().orElse(0);
        }

        @Override
        void handle(long at, String text) {
            try {
                JsonNode frame = mapper.readTree(text);
                JsonNode data = frame.path("data");
                switch (frame.path("event").asText()) {
                    case "ready" -> ready.complete(data.path("connectionId").asText());
                    case "new-message" -> {
                        if (data.path("roomId").asText().equals(roomId)) {
                            String key = data.path("parts").path(0).path("text").asText();
                            if (!texts.add(key) && !key.isEmpty()) {
                                duplicates.incrementAndGet();
                            }
                            seqs.add(data.path("seq").asLong());
                            deliveries.arrived(key, at);
                        }
                    }
                    case "bench-floor" -> deliveries.arrived(data.path("key").asText(), at);
                    case "error" -> problems.add("error frame: " + text);
                    default -> {
                    }
                }
            } catch (IOException e) {
                problems.add("unreadable frame: " + text);
            }
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            problems.add("socket error: " + error);
        }
    }

    static String report(Result r) {
        StringBuilder out = new StringBuilder();
        if (!r.cost().isEmpty()) {
            out.append(String.format(Locale.ROOT, "%nCost and latency per send: sequential sends with a clientMessageId by two members in turn, every member online with one socket%n"));
            out.append(senderSocketNote(r));
            out.append("(sender 'session': a member with its session token, as the SDK sends, counted against its own rate limit with\n"
                    + " one write per send; 'API key': the tenant's server naming the member, its key's budget reserved in blocks)\n");
            out.append(ROW_HEADER);
            for (RoomRun x : r.cost()) {
                out.append(row(x));
            }
            RoomRun first = r.cost().get(0);
            for (RoomRun x : r.cost().stream().filter(x -> x.members() == first.members()).toList()) {
                out.append(String.format(Locale.ROOT, "WRU per send by call, %d members, %s:", x.members(), x.sender().label));
                x.wruPerSendByCall().forEach((call, units) -> out.append(String.format(Locale.ROOT, " %s %.2f", call, units)));
                out.append('\n');
            }
            out.append("(WRU/RRU per send as DynamoDB Local reports them with ReturnConsumedCapacity=TOTAL: every call of the send,\n"
                    + " transactions by AWS's rule instead: 2 per started KB of each item (+1 per KB of its GSI1 entry when the write\n"
                    + " puts an item with GSI1 keys or changes an attribute GSI1 holds), which DynamoDB Local does not report;\n"
                    + " 'refused' = conditional writes refused per send: no capacity comes back with a refusal, so the WRU bill\n"
                    + " them as AWS does (1 per KB of the item already there, at least 1; a refused transaction 2 per item);\n"
                    + " 'posts' = @connections posts per send, each a billed WebSocket message;\n"
                    + " 'last' = send -> the last member's new-message frame, ms)\n");
        }
        if (!r.cost().isEmpty() && r.floorDuration() != null) {
            out.append(costReport(r));
        }
        if (r.readSide() != null) {
            ReadSide x = r.readSide();
            out.append(String.format(Locale.ROOT, "Room list of %d rooms (also what the ready frame's unread total and a push badge read): %.1f RRU;"
                    + " a read receipt: %.1f WRU, %.1f RRU%n", x.rooms(), x.listRru(), x.receiptWru(), x.receiptRru()));
        }
        if (r.busy() != null) {
            Busy b = r.busy();
            out.append(String.format(Locale.ROOT, "%nBusy room: %d members all online, %d messages per phase (send request, ms)%n", b.members(), b.sends1()));
            out.append(String.format(Locale.ROOT, "%-22s %9s %9s %9s%n", "", "msgs/s", "req p50", "req p99"));
            out.append(String.format(Locale.ROOT, "%-22s %9.1f %9s %9s%n", "1 sender", b.perSecond1(), Stats.ms(b.request1().p50()), Stats.ms(b.request1().p99())));
            Paced p = b.paced();
            out.append(String.format(Locale.ROOT, "%-22s %9.1f %9s %9s   on a timetable of %.1f msgs/s in all (%.0f %% of 1 sender's rate), each send"
                    + " timed from when it was due; refused writes (lost seq races) per message: %.2f%n", "8 senders, paced", p.achievedPerSecond(),
                    Stats.ms(p.request().p50()), Stats.ms(p.request().p99()), p.offeredPerSecond(), 100 * PACED_SHARE, p.refusedWritesPerMessage()));
            out.append(String.format(Locale.ROOT, "%-22s %9.1f %9s %9s   refused writes per message: %.2f; WRU per message, those included: %.2f%n",
                    "8 senders back to back", b.perSecond8(), Stats.ms(b.request8().p50()), Stats.ms(b.request8().p99()),
                    b.refusedWritesPerMessage8(), b.writeUnitsPerMessage8()));
            out.append(String.format(Locale.ROOT, "CPU busy (this JVM: the stack, its emulators and the bench's %d sockets, over all %d cores):"
                    + " 1 sender %.0f %%, 8 senders back to back %.0f %%%n", b.members(), Runtime.getRuntime().availableProcessors(),
                    100 * b.cpuBusy1(), 100 * b.cpuBusy8()));
            out.append(String.format(Locale.ROOT, "Paced 8 senders: p99 8/1 = %.2f (target <= 3.0: %s)%n",
                    b.pacedP99Ratio(), b.pacedP99Ratio() <= 3.0 ? "met" : "MISSED"));
            out.append(String.format(Locale.ROOT, "Back to back: throughput 8/1 = %.2f (target >= 0.80: %s); p99 8/1 = %.2f (target <= 3.0: %s; 8 closed"
                    + " loops queue behind a machine one sender already keeps busy, so their p99 grows with the queue: Little's law); delivery: %s%n",
                    b.throughputRatio(), b.throughputRatio() >= 0.8 ? "met" : "MISSED", b.p99Ratio(), b.p99Ratio() <= 3.0 ? "met" : "MISSED",
                    delivery(b.missing(), b.duplicates(), b.gapless())));
        }
        if (r.throughput() != null) {
            Throughput t = r.throughput();
            out.append(String.format(Locale.ROOT, "%nThroughput: %d messages in %d 1:1 rooms (both members online), %d senders at once;"
                    + " ours and the floor alternate, %d turns each%n", t.messages(), t.rooms(), t.concurrency(), TURNS));
            out.append(senderSocketNote(r));
            out.append(String.format(Locale.ROOT, "delivered %.0f msgs/s (target >= 1000: %s); floor (transaction + post, same concurrency) %.0f ops/s; ratio %.2f%n",
                    t.deliveredPerSecond(), t.deliveredPerSecond() >= 1000 ? "met" : "MISSED", t.floorPerSecond(),
                    t.deliveredPerSecond() / t.floorPerSecond()));
            out.append(String.format(Locale.ROOT, "CPU per message (this JVM: the stack, its emulators and the bench's clients): %.1f ms; per floor"
                    + " operation %.1f ms; ratio %.2f%n", t.cpuMsPerMessage(), t.floorCpuMsPerOp(),
                    t.cpuMsPerMessage() == 0 ? 0 : t.floorCpuMsPerOp() / t.cpuMsPerMessage()));
            out.append(String.format(Locale.ROOT, "send request p50 %s p99 %s ms; WRU %.2f RRU %.2f @connections posts %.2f per send; delivery: %s%n",
                    Stats.ms(t.request().p50()), Stats.ms(t.request().p99()), t.wruPerSend(), t.rruPerSend(), t.postsPerSend(),
                    delivery(t.missing(), t.duplicates(), t.gapless())));
            out.append(String.format(Locale.ROOT, "one %d-member room, 8 senders: %d messages, %.1f msgs/s = %.0f deliveries/s; delivery: %s%n",
                    t.groupMembers(), t.groupMessages(), t.groupMessagesPerSecond(), t.groupDeliveriesPerSecond(),
                    delivery(t.groupMissing(), t.groupDuplicates(), true)));
        }
        if (r.bigRoom() != null) {
            out.append(String.format(Locale.ROOT, "%nBig room (every member online, one socket each; the sender posts to the first %d members,"
                    + " the fan-out worker to the rest through the fan-out queue; units include the worker's)%n",
                    dev.sendsar.service.RealtimePublisher.INLINE_MEMBERS));
            out.append(ROW_HEADER);
            out.append(row(r.bigRoom()));
        }
        if (r.push() != null) {
            Push p = r.push();
            out.append(String.format(Locale.ROOT, "%nPush: 1:1 room, recipient offline with one FCM token, %d sequential sends (ms)%n", p.sends()));
            out.append(String.format(Locale.ROOT, "%-46s %8s %8s %8s %8s%n", "", "p50", "p90", "p99", "max"));
            out.append(String.format(Locale.ROOT, "%-46s %s%n", "REST send -> request at the fake FCM", p.toProvider().row()));
            out.append(String.format(Locale.ROOT, "%-46s %s%n", "REST send -> HTTP 201", p.request().row()));
            out.append(String.format(Locale.ROOT, "pushes: %d of %d, %d duplicates; OAuth2 token fetched %d time(s)%n"
                            + "(locally the stream poller idles 250 ms between polls and the push queue is long-polled: on AWS the\n"
                            + " stream's and SQS's event sources take their place)%n",
                    p.received(), p.sends(), p.duplicates(), p.tokenRequests()));
        }
        r.problems().stream().limit(5).forEach(p -> out.append("  problem: ").append(p).append('\n'));
        return out.toString();
    }

    /**
     * Dollars per million sends, item by item at {@link SendCost}'s prices, from what each room's run measured, beside
     * the floor of a send in a room that size and issue 12's target for 1:1.
     */
    static String costReport(Result r) {
        StringBuilder out = new StringBuilder();
        int memory = r.memory().mb();
        out.append(String.format(Locale.ROOT, "%nCost per 1 M sent messages, all-in, $ at AWS list prices (us-east-1, on-demand, checked 2025),"
                + " send-message at %d MB (%s);%nLambda time at the p50 billed duration (p99 in brackets)%n", memory, r.memory().source()));
        List<String> names = SendCost.items(SendCost.Usage.floor(2, 1, memory)).stream().map(SendCost.Item::name).toList();
        out.append(String.format(Locale.ROOT, "%-8s %-8s", "members", "sender"));
        names.forEach(name -> out.append(String.format(Locale.ROOT, name.equals("Lambda time") ? " %-14s" : " %9s", name)));
        out.append(String.format(Locale.ROOT, " | %-16s | %-16s | %s%n", "total", "floor", "target"));
        long floorP50 = Invocation.billedMillis(r.floorDuration().p50());
        long floorP99 = Invocation.billedMillis(r.floorDuration().p99());
        for (RoomRun x : r.cost()) {
            long p50 = Invocation.billedMillis(x.duration().p50());
            long p99 = Invocation.billedMillis(x.duration().p99());
            SendCost.Usage atP50 = usage(x, p50, memory);
            SendCost.Usage atP99 = usage(x, p99, memory);
            List<SendCost.Item> items = SendCost.items(atP50);
            List<SendCost.Item> itemsP99 = SendCost.items(atP99);
            out.append(String.format(Locale.ROOT, "%-8d %-8s", x.members(), x.sender().label));
            for (int i = 0; i < items.size(); i++) {
                SendCost.Item item = items.get(i);
                out.append(item.name().equals("Lambda time")
                        ? String.format(Locale.ROOT, " %-14s", String.format(Locale.ROOT, "%.2f (%.2f)", item.perMillion(), itemsP99.get(i).perMillion()))
                        : String.format(Locale.ROOT, " %9.2f", item.perMillion()));
            }
            double total = SendCost.perMillion(atP50);
            out.append(String.format(Locale.ROOT, " | %-16s | %-16s | %s%n",
                    String.format(Locale.ROOT, "%.2f (%.2f)", total, SendCost.perMillion(atP99)),
                    String.format(Locale.ROOT, "%.2f (%.2f)", SendCost.perMillion(SendCost.Usage.floor(x.members(), floorP50, memory)),
                            SendCost.perMillion(SendCost.Usage.floor(x.members(), floorP99, memory))),
                    x.members() == 2 ? String.format(Locale.ROOT, "<= %.2f: %s", SendCost.TARGET_PER_MILLION_1_TO_1,
                            total <= SendCost.TARGET_PER_MILLION_1_TO_1 ? "met" : "MISSED") : ""));
        }
        out.append("send-message duration as Lambda bills it (handler in to handler out where the runtime invokes it, less the bench's\n"
                + " metering reads inside it, rounded up to 1 ms), ms:\n");
        for (RoomRun x : r.cost()) {
            out.append(String.format(Locale.ROOT, "  %3d members, %-8s p50 %d, p99 %d, mean %.2f; %.2f invocations per send; x floor: p50 %.2f, p99 %.2f%n",
                    x.members(), x.sender().label + ":", Invocation.billedMillis(x.duration().p50()), Invocation.billedMillis(x.duration().p99()),
                    x.duration().meanMillis(), x.invocationsPerSend(), (double) x.duration().p50() / r.floorDuration().p50(),
                    (double) x.duration().p99() / r.floorDuration().p99()));
        }
        for (RoomRun x : r.cost()) {
            out.append(x.routerDuration().count() == 0
                    ? String.format(Locale.ROOT, "  %3d members, %-8s event router: not invoked (every message stored quiet: each recipient's"
                            + " socket got it and no webhook wants it)%n", x.members(), x.sender().label + ":")
                    : String.format(Locale.ROOT, "  %3d members, %-8s event router (priced at 1 invocation per record handed to it, its p50):"
                            + " %.2f records per send; p50 %d, p99 %d%n", x.members(), x.sender().label + ":", x.routerRecordsPerSend(),
                    Invocation.billedMillis(x.routerDuration().p50()), Invocation.billedMillis(x.routerDuration().p99())));
        }
        out.append(String.format(Locale.ROOT, "  floor (one 2-item transaction + one post, run after each send above and timed around its two"
                + " calls in the bench's thread, not behind the gateway): p50 %d, p99 %d, mean %.2f%n", floorP50, floorP99,
                r.floorDuration().meanMillis()));
        if (r.sampleReport() != null) {
            out.append("  e.g. ").append(r.sampleReport().replace('\t', ' ')).append('\n');
        }
        out.append("(WRU, RRU, posts and SQS sends per send as measured above; SQS counts each send with its receive and delete;\n"
                + " logs: the HTTP API's access line (Lambda writes none per invocation); 'router': the event router's request and time;\n"
                + " not in it: push jobs and webhook deliveries (docs/deploy.md, Push), and the fan-out worker's time above\n"
                + " 100 members. The floor: HTTP API, one invocation at the floor's duration, 1 WRU, one post per other\n"
                + " member's socket, logs. Durations are local: DynamoDB Local on loopback and this machine's cores, where\n"
                + " Lambda gives a function one vCPU per 1,769 MB; once deployed, the functions' Duration metrics replace them)\n");
        return out.toString();
    }

    /**
     * The event router is priced at one invocation per record handed to it (a message not stored quiet), as on AWS at
     * a person's pace (each message its own batch), at its p50 duration in the run; a busy stream batches up to 100
     * records per invocation.
     */
    private static SendCost.Usage usage(RoomRun x, long billedMillis, int memoryMb) {
        return new SendCost.Usage(x.invocationsPerSend(), billedMillis, memoryMb, x.wruPerSend(), x.rruPerSend(), x.postsPerSend(),
                x.queueSendsPerSend(), x.routerRecordsPerSend(), Invocation.billedMillis(x.routerDuration().p50()));
    }

    private static String senderSocketNote(Result r) {
        return r.senderConnectionId()
                ? "(senders name their own socket (X-Sendsar-Connection-Id) and take their message from the answer, as the SDK does)\n"
                : "(senders do not name their own socket: it gets a frame for each of its own messages, as before the header)\n";
    }

    private static final String ROW_HEADER = String.format(Locale.ROOT, "%-8s %-8s %6s %8s %8s %9s %6s | %9s %9s | %10s %10s | %s%n",
            "members", "sender", "sends", "WRU", "RRU", "refused", "posts", "req p50", "req p99", "last p50", "last p99", "delivery");

    private static String row(RoomRun x) {
        return String.format(Locale.ROOT, "%-8d %-8s %6d %8.2f %8.2f %9.2f %6.2f | %9s %9s | %10s %10s | %s%n", x.members(), x.sender().label, x.sends(),
                x.wruPerSend(), x.rruPerSend(), x.refusedWritesPerSend(), x.postsPerSend(), Stats.ms(x.request().p50()), Stats.ms(x.request().p99()),
                Stats.ms(x.lastFrame().p50()), Stats.ms(x.lastFrame().p99()), delivery(x.missing(), x.duplicates(), x.gapless()));
    }

    private static String delivery(int missing, int duplicates, boolean gapless) {
        return missing == 0 && duplicates == 0 && gapless ? "all, once, gapless"
                : String.format(Locale.ROOT, "%d missing, %d duplicates%s", missing, duplicates, gapless ? "" : ", GAPS");
    }
}
