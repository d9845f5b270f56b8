package dev.sendsar.calls;

import java.util.Optional;

/** Where calls live. Every change is a compare-and-set on the call's version, so racing changes have one winner. */
public interface CallRepository {

    /** Where a LiveKit room's call is, while the call is not over. */
    record MediaRoomCall(String tenantId, String roomId, String callId) {
    }

    Optional<Call> find(String tenantId, String roomId, String callId);

    /** The room's call that is not over yet, if any. */
    Optional<Call> active(String tenantId, String roomId);

    /**
     * Stores a new call as the room's active one; false (nothing written) when the room already has an active call.
     */
    boolean create(String tenantId, Call call);

    /**
     * Replaces {@code before} with {@code after} if the stored call is still at {@code before}'s version; false
     * (nothing written) when another change came first. A finished {@code after} stops being the room's active call.
     */
    boolean replace(String tenantId, Call before, Call after);

    Optional<MediaRoomCall> byMediaRoom(String livekitRoomName);
}
