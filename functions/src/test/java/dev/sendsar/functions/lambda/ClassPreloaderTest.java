package dev.sendsar.functions.lambda;

import dev.sendsar.routes.RouteTable;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClassPreloaderTest {
    /** How many times {@link Initialized}'s static initializer ran. */
    static final AtomicInteger INITIALIZED = new AtomicInteger();

    static final class Initialized {
        static {
            INITIALIZED.incrementAndGet();
        }

        static void touch() {
        }
    }

    @Test
    void preloading_definesTheListedClasses_withoutRunningTheirInitializers_andSkipsNamesThisBuildLacks() {
        // test-only.txt: a comment, a blank line, a missing class, and Initialized
        int loaded = ClassPreloader.preload("test-only", getClass().getClassLoader());

        assertEquals(1, loaded, "only the class this build has is loaded");
        assertEquals(0, INITIALIZED.get(), "loading must not run a static initializer: the handler's thread runs them in its order");
        Initialized.touch();
        assertEquals(1, INITIALIZED.get());
    }

    @Test
    void aListThatIsNotThere_preloadsNothing() {
        assertEquals(0, ClassPreloader.preload("no-such-list", getClass().getClassLoader()));
    }

    @Test
    void httpFunctionsPreloadTheRestList_webSocketFunctionsTheirs_workersNone() {
        for (RouteTable.HttpRoute route : RouteTable.HTTP) {
            assertEquals(Optional.of(ClassPreloader.REST), ClassPreloader.listOf(route.name()), route.name());
        }
        for (RouteTable.WsRoute route : RouteTable.WEBSOCKET) {
            assertEquals(Optional.of(ClassPreloader.WEBSOCKET), ClassPreloader.listOf(route.name()), route.name());
        }
        for (RouteTable.Worker worker : RouteTable.WORKERS) {
            assertEquals(Optional.empty(), ClassPreloader.listOf(worker.name()), worker.name());
        }
    }

    /**
     * A list names what a training run loaded (bench/run.sh --write-preload-lists). After a dependency or code change
     * it may name classes the build no longer has: they are skipped, and the preload quietly loses its effect. Only
     * Micronaut AOT's generated classes are missing here (they exist in the Lambda package alone).
     */
    @Test
    void theShippedLists_nameClassesThisBuildHas() throws IOException {
        for (String list : List.of(ClassPreloader.REST, ClassPreloader.WEBSOCKET)) {
            List<String> names = namesIn(list);
            assertTrue(names.size() > 1_000, list + " lists " + names.size() + " classes");
            List<String> missing = names.stream().filter(name -> !name.startsWith("dev.sendsar.aot."))
                    .filter(name -> !loads(name)).toList();
            assertTrue(missing.size() <= names.size() / 50, list + ".txt is stale: " + missing.size()
                    + " names this build lacks, e.g. " + missing.stream().limit(10).toList()
                    + "; write it again with bench/run.sh --write-preload-lists");
        }
    }

    private List<String> namesIn(String list) throws IOException {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(ClassPreloader.LISTS + list + ".txt")) {
            assertFalse(in == null, list + ".txt is not in the package");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        }
    }

    private boolean loads(String name) {
        try {
            Class.forName(name, false, getClass().getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
