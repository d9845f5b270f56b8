package dev.sendsar.calls;

import dev.sendsar.domain.Times;
import io.livekit.server.AccessToken;
import io.livekit.server.CanPublish;
import io.livekit.server.CanSubscribe;
import io.livekit.server.RoomJoin;
import io.livekit.server.RoomName;
import io.livekit.server.RoomServiceClient;
import io.livekit.server.WebhookReceiver;
import jakarta.inject.Singleton;
import livekit.LivekitWebhook;
import retrofit2.Response;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** LiveKit through its server SDK: {@link AccessToken}, {@link RoomServiceClient} (Twirp) and {@link WebhookReceiver}. */
@Singleton
public class LiveKitMediaServer implements MediaServer {
    /** Room deletion runs after a call's end is stored: it must not hold the answer long. */
    static final Duration API_TIMEOUT = Duration.ofSeconds(3);

    private final LiveKitConfig config;
    private volatile RoomServiceClient rooms;

    public LiveKitMediaServer(LiveKitConfig config) {
        this.config = config;
    }

    @Override
    public boolean configured() {
        return present(config.getUrl()) && present(config.getApiKey()) && present(config.getApiSecret());
    }

    /** What clients connect to: the public URL, else the internal one. */
    private String clientUrl() {
        return present(config.getPublicUrl()) ? config.getPublicUrl() : config.getUrl();
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }

    @Override
    public Credentials credentials(String livekitRoomName, String userId, String displayName, int ttlSeconds) {
        AccessToken token = new AccessToken(config.getApiKey(), config.getApiSecret());
        token.setIdentity(userId);
        token.setName(displayName == null || displayName.isBlank() ? userId : displayName);
        // setTtl takes milliseconds; the expiry we report is the token's own
        token.setTtl(TimeUnit.SECONDS.toMillis(ttlSeconds));
        Instant now = Instant.now();
        Instant expires = now.plusSeconds(ttlSeconds);
        token.setExpiration(Date.from(expires));
        token.addGrants(new RoomJoin(true), new RoomName(livekitRoomName), new CanPublish(true), new CanSubscribe(true));
        return new Credentials(clientUrl(), token.toJwt(), Times.format(expires.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)));
    }

    @Override
    public void deleteRoom(String livekitRoomName) {
        Response<Void> response;
        try {
            response = client().deleteRoom(livekitRoomName).execute();
        } catch (IOException e) {
            throw new UncheckedIOException("LiveKit did not answer a room deletion", e);
        }
        // Twirp answers 404 not_found for a room that is already gone: the room is deleted either way
        if (!response.isSuccessful() && response.code() != 404) {
            throw new IllegalStateException("LiveKit refused a room deletion: HTTP " + response.code());
        }
    }

    @Override
    public Optional<RoomEvent> receive(String body, String authorization) {
        if (authorization == null || authorization.isBlank() || body == null) {
            throw new SecurityException("The webhook is not signed");
        }
        LivekitWebhook.WebhookEvent event;
        try {
            event = new WebhookReceiver(config.getApiKey(), config.getApiSecret()).receive(body, authorization);
        } catch (RuntimeException e) {
            throw new SecurityException("The webhook signature is not valid", e);
        }
        String kind = event.getEvent();
        if (!event.hasRoom() || !(RoomEvent.ROOM_FINISHED.equals(kind) || RoomEvent.PARTICIPANT_LEFT.equals(kind))) {
            return Optional.empty();
        }
        return Optional.of(new RoomEvent(kind, event.getRoom().getName(), event.getRoom().getNumParticipants()));
    }

    private RoomServiceClient client() {
        RoomServiceClient client = rooms;
        if (client == null) {
            client = RoomServiceClient.create(config.getUrl().replaceFirst("^ws", "http"), config.getApiKey(),
                    config.getApiSecret(), false, builder -> builder.callTimeout(API_TIMEOUT));
            rooms = client;
        }
        return client;
    }
}
