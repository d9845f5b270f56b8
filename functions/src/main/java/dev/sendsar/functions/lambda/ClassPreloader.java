package dev.sendsar.functions.lambda;

import dev.sendsar.routes.RouteTable;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * Cold start: loads the classes a function's first request will need on a second thread, while the handler's own
 * thread builds the application context and then serves that request. A class is only loaded (read from the package,
 * parsed, defined), never initialized: no static initializer runs out of its order, so two threads can never wait on
 * each other's class initialization. The handler's thread then finds most of its classes defined already. Lambda gives
 * a function's init phase more CPU than its invocations below 3 GB (reported by third parties: two vCPUs), and
 * SnapStart's snapshot then holds every listed class ({@code SnapStartPriming} waits for the preload).
 *
 * <p>The lists are training runs of the two hot functions, one class name per line in loading order: {@code rest}
 * (send-message) for every HTTP function, {@code websocket} ({@code $connect}) for every WebSocket function; workers
 * have none. {@code bench/run.sh --write-preload-lists} writes them again; a name this build does not have is skipped,
 * and {@code ClassPreloaderTest} fails when a list has gone stale. {@code -Dsendsar.preload=false} turns it off (the
 * bench's comparison); where one JVM serves every route (the local runtime, tests) there is no route, so no preload.
 */
public final class ClassPreloader {
    /** Where the lists are, as resources: {@code <list>.txt}. */
    public static final String LISTS = "META-INF/sendsar/preload/";
    public static final String REST = "rest";
    public static final String WEBSOCKET = "websocket";
    /** System property that turns preloading off when {@code false}. */
    public static final String SWITCH = "sendsar.preload";

    private static volatile Thread running;

    private ClassPreloader() {
    }

    /** Starts preloading the list of {@code route}'s kind of function, once, if it has one and preloading is on. */
    static synchronized void start(Optional<String> route) {
        if (running != null || !Boolean.parseBoolean(System.getProperty(SWITCH, "true"))) {
            return;
        }
        route.flatMap(ClassPreloader::listOf).ifPresent(list -> {
            ClassLoader loader = ClassPreloader.class.getClassLoader();
            Thread thread = new Thread(() -> preload(list, loader), "class-preloader");
            thread.setDaemon(true);
            thread.start();
            running = thread;
        });
    }

    /** The list for a function of this route: HTTP and WebSocket functions have one, workers none. */
    static Optional<String> listOf(String route) {
        if (FunctionRoute.isHttp(route)) {
            return Optional.of(REST);
        }
        return RouteTable.WEBSOCKET.stream().anyMatch(r -> r.name().equals(route)) ? Optional.of(WEBSOCKET) : Optional.empty();
    }

    /** Loads every class the list names that {@code loader} can find, without initializing any; returns how many. */
    static int preload(String list, ClassLoader loader) {
        int loaded = 0;
        try (InputStream in = loader.getResourceAsStream(LISTS + list + ".txt")) {
            if (in == null) {
                return 0;
            }
            BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String name = lines.readLine(); name != null; name = lines.readLine()) {
                if (load(name.trim(), loader)) {
                    loaded++;
                }
            }
        } catch (IOException unreadable) {
            // a list that cannot be read preloads nothing more: the handler loads its classes itself, as without one
        }
        return loaded;
    }

    private static boolean load(String name, ClassLoader loader) {
        if (name.isEmpty() || name.startsWith("#")) {
            return false;
        }
        try {
            Class.forName(name, false, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError notInThisBuild) {
            return false;
        }
    }

    /** Waits up to {@code max} for a preload in progress to end (before a SnapStart snapshot). */
    public static void awaitRunning(Duration max) {
        Thread thread = running;
        if (thread == null) {
            return;
        }
        try {
            thread.join(max.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
