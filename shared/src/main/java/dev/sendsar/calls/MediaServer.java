package dev.sendsar.calls;

import io.micronaut.serde.annotation.Serdeable;

import java.util.Optional;

/** The WebRTC media server calls run on (LiveKit): join tokens, room clean-up and its signed webhooks. */
public interface MediaServer {

    /** What a client needs to join the call's media room. */
    @Serdeable
    record Credentials(String url, String token, String expiresAt) {
    }

    /** A media-room event this product acts on. */
    record RoomEvent(String kind, String livekitRoomName, int participantsLeft) {
        public static final String ROOM_FINISHED = "room_finished";
        public static final String PARTICIPANT_LEFT = "participant_left";
    }

    boolean configured();

    /** A token for {@code userId} to join only {@code livekitRoomName}, publish and subscribe, for {@code ttlSeconds}. */
    Credentials credentials(String livekitRoomName, String userId, String displayName, int ttlSeconds);

    /** Deletes the media room (everyone in it is disconnected); a room that does not exist counts as deleted. */
    void deleteRoom(String livekitRoomName);

    /**
     * The event of a webhook whose {@code Authorization} header is a valid signature of {@code body}; empty for events
     * this product ignores. Throws {@link SecurityException} for a missing or bad signature.
     */
    Optional<RoomEvent> receive(String body, String authorization);
}
