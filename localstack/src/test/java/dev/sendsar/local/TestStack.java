package dev.sendsar.local;

/** One in-memory local stack for the whole test JVM: starting it once keeps the suite fast. */
final class TestStack {
    static final String WEBHOOK_RETRY_DELAYS = "1,2";
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
            // The push services are local fakes; the stack reads their URLs (and the test-only settings) at start.
            PushFakes fakes = PushFakes.get();
            System.setProperty("sendsar.fcm-url", fakes.url());
            System.setProperty("sendsar.apns-url", fakes.tlsUrl());
            System.setProperty("sendsar.onesignal-url", fakes.url());
            System.setProperty("sendsar.push.trusted-certificate", fakes.certificate().toString());
            System.setProperty("sendsar.push.retry-base-seconds", "1");
            // Webhook retries after 1 s and 2 s instead of §7's ladder, so failure paths take seconds.
            System.setProperty("sendsar.webhooks.retry-delays", WEBHOOK_RETRY_DELAYS);
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
