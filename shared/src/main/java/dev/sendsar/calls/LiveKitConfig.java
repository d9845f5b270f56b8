package dev.sendsar.calls;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * The media server: {@code LIVEKIT_URL} (where this server reaches LiveKit's API), {@code LIVEKIT_PUBLIC_URL} (what
 * clients connect to; the internal URL when absent), {@code LIVEKIT_API_KEY} and {@code LIVEKIT_API_SECRET}. Without
 * a URL and the key pair, calls answer 503 {@code calls_unavailable} and chat works as ever.
 */
@ConfigurationProperties("livekit")
public interface LiveKitConfig {
    @Nullable
    String getUrl();

    @Nullable
    String getPublicUrl();

    @Nullable
    String getApiKey();

    @Nullable
    String getApiSecret();
}
