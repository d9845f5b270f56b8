package dev.sendsar.local;

/** One in-memory local stack for the whole test JVM: starting it once keeps the suite fast. */
final class TestStack {
    private static LocalStack stack;

    private TestStack() {
    }

    static synchronized LocalStack get() {
        if (stack == null) {
            try {
                stack = LocalStack.start(LocalStack.Options.inMemory());
            } catch (Exception e) {
                throw new IllegalStateException("The local stack did not start", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    stack.close();
                } catch (Exception ignored) {
                    // the JVM is going away anyway
                }
            }));
        }
        return stack;
    }
}
