package dev.sendsar.local;

import java.util.Arrays;
import java.util.List;

/**
 * Runs one command against a fresh in-memory local stack and exits with the command's exit code, so tests
 * outside the JVM (the JavaScript SDK, the browser test) get a real stack:
 * {@code java -cp … dev.sendsar.local.WithLocalStack npm run test:integration}.
 * The command finds the stack in SENDSAR_API_URL, SENDSAR_WS_URL, SENDSAR_API_KEY and SENDSAR_ADMIN_KEY.
 */
public final class WithLocalStack {
    private WithLocalStack() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("Usage: WithLocalStack COMMAND [ARGS…]");
            System.exit(2);
        }
        int exit;
        LocalStack started;
        try {
            started = LocalStack.start(LocalStack.Options.inMemory());
        } catch (Exception | Error e) {
            // the emulators' non-daemon threads would keep a failed start alive forever
            System.err.println("The local stack did not start: " + e);
            e.printStackTrace();
            System.exit(1);
            return;
        }
        try (LocalStack stack = started) {
            List<String> command = Arrays.asList(args);
            ProcessBuilder process = new ProcessBuilder(command).inheritIO();
            process.environment().put("SENDSAR_API_URL", stack.apiUrl());
            process.environment().put("SENDSAR_WS_URL", stack.wsUrl());
            process.environment().put("SENDSAR_API_KEY", stack.apiKey());
            process.environment().put("SENDSAR_ADMIN_KEY", stack.adminKey());
            exit = process.start().waitFor();
        }
        System.exit(exit);
    }
}
