package dev.sendsar.bench;

import dev.sendsar.local.LocalStack;
import dev.sendsar.routes.LambdaJvm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bench/run.sh}: starts the local stack in memory, runs the latency bench (send → WebSocket receipt, with
 * its floor in the same run) and the cold-start bench, and prints one report. Everything is on loopback and bounded.
 * <p>
 * Options: {@code --messages N} (1000), {@code --warmup N} (200), {@code --cold-runs N} (5),
 * {@code --cold-jvm-options "OPTS"} (repeatable: one more cold-start series with these JVM options; {@code {function}}
 * in them becomes {@code rest} or {@code connect}, e.g. for a class-data-sharing archive per function),
 * {@code --no-latency}, {@code --no-cold-start}, {@code --report FILE} (also write the report there),
 * {@code --write-preload-lists} (only the training runs of the functions' class preloader: writes its lists into
 * {@code functions/src/main/resources}, see {@code ClassPreloader}).
 * The cold-start children run the Lambda package named by {@code -Dsendsar.bench.lambdaPackage}; the floor takes its
 * jars from the functions' runtime classpath, {@code -Dsendsar.bench.functionClasspath}.
 */
public final class Main {
    static final double TARGET_RATIO = 1.3;
    static final double TARGET_P99_RATIO = 2.0;
    static final double TARGET_COLD_START_MS = 800;
    static final double TARGET_COLD_START_RATIO = 1.6;
    /** What the CDK stack sets as {@code JAVA_TOOL_OPTIONS} on every function: the default cold-start series. */
    static final List<String> DEPLOYED_JVM_OPTIONS = LambdaJvm.options();

    private Main() {
    }

    public static void main(String[] args) {
        try {
            System.exit(run(args) ? 0 : 1);
        } catch (Throwable e) {
            e.printStackTrace();
            // stop whatever the stack left running, so the bench always ends by itself
            Runtime.getRuntime().halt(1);
        }
    }

    private static boolean run(String[] args) throws Exception {
        int messages = 1000;
        int warmup = 200;
        int coldRuns = 9;
        boolean latency = true;
        boolean coldStart = true;
        Path reportFile = null;
        List<List<String>> coldVariants = new ArrayList<>();
        coldVariants.add(DEPLOYED_JVM_OPTIONS);
        java.util.Set<String> scale = new java.util.LinkedHashSet<>(List.of("cost", "busy", "throughput", "big", "push"));
        int costSends = 50;
        int costWarmup = 50;
        int busySends = 80;
        int throughputRooms = 50;
        int throughputMessages = 3000;
        int concurrency = 16;
        int bigMembers = 1000;
        int bigSends = 20;
        int pushSends = 50;
        boolean senderConnectionId = true;
        Path preloadLists = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--messages" -> messages = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--cold-runs" -> coldRuns = Integer.parseInt(args[++i]);
                case "--cold-jvm-options" -> coldVariants.add(Arrays.stream(args[++i].trim().split("\\s+")).toList());
                case "--no-latency" -> latency = false;
                case "--no-cold-start" -> coldStart = false;
                case "--scale" -> scale = new java.util.LinkedHashSet<>(Arrays.asList(args[++i].split(",")));
                case "--no-scale" -> scale = java.util.Set.of();
                case "--cost-sends" -> costSends = Integer.parseInt(args[++i]);
                case "--cost-warmup" -> costWarmup = Integer.parseInt(args[++i]);
                case "--busy-sends" -> busySends = Integer.parseInt(args[++i]);
                case "--throughput-rooms" -> throughputRooms = Integer.parseInt(args[++i]);
                case "--throughput-messages" -> throughputMessages = Integer.parseInt(args[++i]);
                case "--concurrency" -> concurrency = Integer.parseInt(args[++i]);
                case "--big-members" -> bigMembers = Integer.parseInt(args[++i]);
                case "--big-sends" -> bigSends = Integer.parseInt(args[++i]);
                case "--push-sends" -> pushSends = Integer.parseInt(args[++i]);
                case "--no-sender-connection-id" -> senderConnectionId = false;
                case "--report" -> reportFile = Path.of(args[++i]);
                case "--write-preload-lists" -> preloadLists = Path.of("functions/src/main/resources/META-INF/sendsar/preload");
                default -> {
                    System.err.println("Usage: Main [--messages N] [--warmup N] [--cold-runs N] [--cold-jvm-options OPTS]..."
                            + " [--no-latency] [--no-cold-start] [--scale cost,busy,throughput,big,push | --no-scale] [--cost-sends N] [--cost-warmup N]"
                            + " [--busy-sends N] [--throughput-rooms N] [--throughput-messages N] [--concurrency N]"
                            + " [--big-members N] [--big-sends N] [--push-sends N] [--no-sender-connection-id] [--report FILE] [--write-preload-lists]");
                    return false;
                }
            }
        }
        StringBuilder report = new StringBuilder();
        report.append(String.format(Locale.ROOT, "Sendsar benchmark — %d cores, %s %s, %s %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                System.getProperty("java.runtime.version"), System.getProperty("os.name"), System.getProperty("os.arch")));
        report.append("Load average before: ").append(loadAverage()).append('\n');
        long started = System.nanoTime();
        boolean ok = true;
        // The push scenario's provider: the stack reads its URL when it starts.
        FakeFcm fcm = scale.contains("push") ? new FakeFcm() : null;
        if (fcm != null) {
            System.setProperty("sendsar.fcm-url", fcm.url());
        }
        try (fcm; LocalStack stack = LocalStack.start(LocalStack.Options.inMemory())) {
            report.append(String.format(Locale.ROOT, "Local stack (in memory) up in %.1f s%n", (System.nanoTime() - started) / 1e9));
            // DynamoDB Local's figure for a transaction is not what AWS bills (see SdkCallTimer): meter them by AWS's rule
            SdkCallTimer.billTransactionsLikeAws(stack.context().getBean(software.amazon.awssdk.services.dynamodb.DynamoDbClient.class));
            System.out.print(report);
            if (preloadLists != null) {
                System.out.println("Training runs for the class preloader: " + ColdStartBench.writePreloadLists(stack,
                        System.getProperty("sendsar.bench.lambdaPackage"), System.getProperty("sendsar.bench.functionClasspath"),
                        DEPLOYED_JVM_OPTIONS, preloadLists) + " classes, written to " + preloadLists + " (rebuild to ship them)");
                return true;
            }
            if (latency) {
                System.out.printf("Latency: %d warm-up + %d measured messages…%n", warmup, messages);
                LatencyBench.Result result = LatencyBench.run(stack, new LatencyBench.Options(messages, warmup, senderConnectionId));
                String text = latencyReport(result);
                System.out.print(text);
                report.append(text);
                ok &= result.deliveredExactlyOnceInOrder();
            }
            if (!scale.isEmpty()) {
                System.out.println("Scale: " + String.join(", ", scale) + "…");
                ScaleBench.Result result = ScaleBench.run(stack, new ScaleBench.Options(costSends, costWarmup, busySends, throughputRooms,
                        throughputMessages, concurrency, bigMembers, bigSends, pushSends, fcm, senderConnectionId), scale);
                String text = ScaleBench.report(result);
                System.out.print(text);
                report.append(text);
                ok &= result.ok();
            }
            if (coldStart) {
                for (List<String> options : coldVariants) {
                    System.out.printf("Cold start: %d launches per function%s…%n", coldRuns,
                            options.isEmpty() ? "" : " with " + String.join(" ", options));
                    ColdStartBench.Result result = ColdStartBench.run(stack, System.getProperty("sendsar.bench.lambdaPackage"),
                            System.getProperty("sendsar.bench.functionClasspath"), coldRuns, options);
                    String text = coldStartReport(result);
                    System.out.print(text);
                    report.append(text);
                }
            }
        }
        String after = "Load average after: " + loadAverage() + " (other work on this machine skews the figures)\n";
        System.out.print(after);
        report.append(after);
        if (reportFile != null) {
            Files.createDirectories(reportFile.toAbsolutePath().getParent());
            Files.writeString(reportFile, report.toString());
            System.out.println("Report written to " + reportFile);
        }
        return ok;
    }

    static String latencyReport(LatencyBench.Result r) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%nEnd-to-end latency: %d messages after %d warm-up, sequential, 1:1 room, both members online (ms)%n"
                + "(sent as the SDK sends: the sender's session token and a clientMessageId)%n", r.messages(), r.warmup()));
        out.append(r.senderConnectionId()
                ? "(the sender names its own socket (X-Sendsar-Connection-Id) and takes its message from the answer, as the SDK does)\n"
                : "(the sender does not name its own socket: it gets a frame for each of its own messages, as before the header)\n");
        out.append(String.format(Locale.ROOT, "%-46s %8s %8s %8s %8s%n", "", "p50", "p90", "p99", "max"));
        line(out, "REST send -> new-message frame at client", r.send());
        line(out, "REST send -> HTTP 201 at client", r.sendResponse());
        line(out, "floor: transaction + @connections post -> frame", r.floor());
        line(out, "  floor part: TransactWriteItems (2 items)", r.floorDynamo());
        line(out, "  floor part: @connections post -> frame", r.floorPost());
        line(out, "REST no-op round trip (GET /v1/realtime)", r.restNoop());
        line(out, "send's first 4 calls, bare, one after another", r.stageInTurn());
        line(out, "send's first 4 calls, bare, at once", r.stageAtOnce());
        out.append(String.format(Locale.ROOT, "Ratio send p50 / floor p50: %.2f (target <= %.1f: %s); send p99 / floor p99: %.2f (target <= %.1f: %s)%n",
                r.ratio(), TARGET_RATIO, r.ratio() <= TARGET_RATIO ? "met" : "MISSED",
                r.p99Ratio(), TARGET_P99_RATIO, r.p99Ratio() <= TARGET_P99_RATIO ? "met" : "MISSED"));
        out.append(String.format(Locale.ROOT, "The send's first 4 calls (claim put, counter update, room read, connection-set batch read) at once take"
                + " %.2f x their time one after another here (0.25 where they are served side by side, 1 where in turn)%n", r.stageRatio()));
        out.append(String.format(Locale.ROOT, "DynamoDB per send (1:1, with a clientMessageId and the sender's rate-limit counter): %.2f WRU, %.2f RRU, %.2f refused conditional writes%n",
                r.wruPerSend(), r.rruPerSend(), r.refusedPerSend()));
        out.append(String.format(Locale.ROOT, "Delivery: %d of %d sent arrived, %d duplicates, %d missing, seq %d..%d %s%n",
                r.delivered(), r.sent(), r.duplicates(), r.missing(), r.firstSeq(), r.lastSeq(),
                r.inSeqOrder() ? "in order, no gaps" : "OUT OF ORDER OR GAPS"));
        r.problems().stream().limit(5).forEach(p -> out.append("  problem: ").append(p).append('\n'));

        out.append(String.format(Locale.ROOT, "%nAWS SDK calls made by the functions per send (timed in the client, ms)%n"));
        out.append(String.format(Locale.ROOT, "%-46s %8s %8s %8s %8s %9s%n", "", "p50", "p90", "p99", "max", "per send"));
        for (Map.Entry<String, Stats> e : r.sdkCalls().entrySet()) {
            out.append(String.format(Locale.ROOT, "%-46s %s %9.2f%n", e.getKey(), e.getValue().row(), r.sdkCallsPerSend().get(e.getKey())));
        }
        out.append(String.format(Locale.ROOT, "%nCritical path of a send up to the frame's arrival (mean ms; gaps = REST function, gateway, thread hops)%n"));
        double sum = 0;
        for (LatencyBench.Segment s : r.criticalPath()) {
            out.append(String.format(Locale.ROOT, "%-70s %7.2f  (p50 %s)%n", s.label(), s.meanMillis(), Stats.ms(s.stats().p50())));
            sum += s.meanMillis();
        }
        out.append(String.format(Locale.ROOT, "%-70s %7.2f  (mean of the end-to-end samples: %.2f)%n", "sum", sum, r.send().meanMillis()));
        return out.toString();
    }

    static String coldStartReport(ColdStartBench.Result r) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%nCold start: fresh JVM -> first response, %d launches each, interleaved, JVM options %s (ms)%n",
                r.functions().get(0).runs().size(), r.jvmOptions().isEmpty() ? "none" : String.join(" ", r.jvmOptions())));
        out.append(String.format(Locale.ROOT, "Functions run from %s: %d entries, %.1f MiB (one package serves every function,"
                        + " so this is each function's package size); floor: %d jars, %.1f MiB%n", r.packageKind(), r.classpathEntries(),
                r.classpathBytes() / 1024.0 / 1024.0, r.floorEntries(), r.floorBytes() / 1024.0 / 1024.0));
        out.append("(send: a send-message event as the SDK sends, session token and clientMessageId; $connect: a session token)\n");
        out.append(String.format(Locale.ROOT, "%-10s %7s %7s %7s | %9s %9s %10s %10s %9s %8s | %7s | %8s  %s%n", "function", "median", "min", "max",
                "JVM->main", "construct", "1st invoke", "2nd invoke", "CPU time", "CPU x fl", "classes", "x floor",
                "target <= " + (int) TARGET_COLD_START_MS + " ms and <= " + TARGET_COLD_START_RATIO + "x floor"));
        double floor = r.function("floor").total().p50() / 1e6;
        double floorCpu = r.function("floor").median(ColdStartBench.Run::cpu) / 1e6;
        for (ColdStartBench.FunctionResult f : r.functions()) {
            if (f.function().endsWith(ColdStartProbe.RESTORED)) {
                continue;
            }
            Stats total = f.total();
            double median = total.p50() / 1e6;
            boolean isFloor = f.function().equals("floor");
            double cpu = f.median(ColdStartBench.Run::cpu) / 1e6;
            out.append(String.format(Locale.ROOT, "%-10s %7.0f %7.0f %7.0f | %9.0f %9.0f %10.0f %10.1f %9.0f %8.2f | %7d | %8.2f  %s%n",
                    label(f.function()), median, total.min() / 1e6, total.max() / 1e6,
                    f.median(ColdStartBench.Run::toMain) / 1e6, f.median(ColdStartBench.Run::construct) / 1e6,
                    f.median(ColdStartBench.Run::firstInvoke) / 1e6, f.median(ColdStartBench.Run::warmInvoke) / 1e6,
                    cpu, floorCpu > 0 ? cpu / floorCpu : 0, f.median(ColdStartBench.Run::classes), median / floor,
                    isFloor ? "(the floor: a Micronaut context and one handler answering a constant)"
                            : median <= TARGET_COLD_START_MS && median / floor <= TARGET_COLD_START_RATIO ? "met" : "MISSED"));
        }
        out.append("(each column is its own median, so the parts need not add up; CPU time = the child's user+system time"
                + " until it answered, over " + Runtime.getRuntime().availableProcessors() + " cores; CPU x fl = that over the"
                + " floor's; classes = classes loaded up to the first response, which load does not change)\n");
        out.append("First request after a SnapStart restore (the function built, then SnapStartPriming run as before Lambda's"
                + " snapshot, then the request timed; the restore itself, AWS's part, is not in it), median, ms:");
        for (String function : List.of("send", "connect")) {
            out.append(String.format(Locale.ROOT, " %s %.0f (cold: %.0f);", label(function),
                    r.function(function + ColdStartProbe.RESTORED).median(ColdStartBench.Run::firstInvoke) / 1e6,
                    r.function(function).median(ColdStartBench.Run::firstInvoke) / 1e6));
        }
        out.setLength(out.length() - 1);
        out.append('\n');
        return out.toString();
    }

    /** A cold-start probe's name as the report shows it. */
    private static String label(String function) {
        return function.equals("connect") ? "$connect" : function;
    }

    /** The 1, 5 and 15 minute load averages, where the OS tells them. */
    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (Exception e) {
            return String.format(Locale.ROOT, "%.2f", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    private static void line(StringBuilder out, String label, Stats stats) {
        out.append(String.format(Locale.ROOT, "%-46s %s%n", label, stats.row()));
    }
}
