package dev.sendsar.local;

import sun.misc.Signal;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code bin/sendsar-local}: starts the local stack and keeps it up until Ctrl-C.
 * Options: {@code --port N} (default 3001, or SENDSAR_PORT), {@code --home DIR} (default .sendsar, or SENDSAR_HOME;
 * data lives in DIR/data), {@code --in-memory} (keep nothing).
 */
public final class LocalRuntime {
    private LocalRuntime() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(System.getenv().getOrDefault("SENDSAR_PORT", "3001"));
        Path home = Path.of(System.getenv().getOrDefault("SENDSAR_HOME", ".sendsar"));
        boolean inMemory = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--home" -> home = Path.of(args[++i]);
                case "--in-memory" -> inMemory = true;
                default -> {
                    System.err.println("Usage: sendsar-local [--port N] [--home DIR] [--in-memory]");
                    System.exit(2);
                }
            }
        }
        long started = System.nanoTime();
        LocalStack stack = LocalStack.start(new LocalStack.Options(port, inMemory ? null : home.toAbsolutePath()));
        Path env = stack.writeEnvFile(home.toAbsolutePath());
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean stopping = new AtomicBoolean();
        Runnable stop = () -> {
            if (stopping.compareAndSet(false, true)) {
                System.out.println("Stopping Sendsar local stack");
                try {
                    stack.close();
                } catch (Exception e) {
                    System.err.println("Stopped with an error: " + e);
                }
                stopped.countDown();
            }
        };
        // SIGTERM and Ctrl-C drain the stack before the JVM begins to shut down: the emulators' own shutdown hooks
        // (DynamoDB Local, ElasticMQ) would otherwise stop them under the requests still in flight
        for (String signal : new String[]{"TERM", "INT"}) {
            Signal.handle(new Signal(signal), received -> {
                stop.run();
                System.exit(0);
            });
        }
        Runtime.getRuntime().addShutdownHook(new Thread(stop));
        System.out.printf("""

                Sendsar local stack is up in %.1f s%s
                  REST API   %s
                  WebSocket  %s
                  API key    %s   (tenant "%s")
                  Admin key  %s
                  Env file   %s
                Press Ctrl-C to stop.
                %n""", (System.nanoTime() - started) / 1e9, inMemory ? " (in memory)" : "",
                stack.apiUrl(), stack.wsUrl(), stack.apiKey(), LocalStack.DEV_TENANT, stack.adminKey(), env);
        stopped.await();
    }
}
