package dev.sendsar.local;

/** One in-memory local stack for the whole test JVM: starting it once keeps the suite fast. */
final class TestStack {
    private static LocalStack stack;
    private static FakeLiveKit liveKit;

    private TestStack() {
    }

    /** The fake LiveKit room service the stack's calls talk to. */
    static synchronized FakeLiveKit liveKit() {
        get();
        return liveKit;
    }

    static synchronized LocalStack get() {
        if (stack == null) {
            try {
                // calls need a media server: LiveKit's room service, faked on loopback, as the environment would name it
                liveKit = FakeLiveKit.start();
                System.setProperty("livekit.url", liveKit.url());
                System.setProperty("livekit.public-url", "wss://media.example.test");
                System.setProperty("livekit.api-key", FakeLiveKit.API_KEY);
                System.setProperty("livekit.api-secret", FakeLiveKit.API_SECRET);
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
