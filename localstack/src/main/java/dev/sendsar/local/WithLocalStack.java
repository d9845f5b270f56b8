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
        try (LocalStack stack = LocalStack.start(LocalStack.Options.inMemory())) {
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
