package dev.sendsar.ports;

import dev.sendsar.domain.Message;

import java.util.List;
import java.util.Optional;

/** A room's timeline, ordered by {@code seq}. */
public interface MessageRepository {

    /** What a conditional put of a message at its seq found. */
    sealed interface PutResult {
        record Stored(Message message) implements PutResult { }
        /** The seq was taken first, by {@code occupant}: the message now at that seq (so the next seq may be tried). */
        record Taken(Message occupant) implements PutResult { }
    }

    /**
     * Stores {@code message} at its seq on condition the seq is free, in one single-item write. The seq is the fence:
     * a caller tries seq k+1 only when it knows seq k exists (the room's {@code lastSeq}, a message it stored or was
     * handed back by a refusal), and messages are never removed, so seqs stay 1, 2, 3... with no gap.
     * {@code quiet}: the item is marked so that its stream record invokes no event router (see
     * dev.sendsar.dynamo.TableKeys#QUIET).
     */
    PutResult put(String tenantId, Message message, boolean quiet);

    /**
     * Takes the quiet mark off a stored message, so that its stream record (a change that leaves its document as it
     * is) reaches the event router after all: a recipient its send counted on turned out to have no open socket.
     * Nothing if it is not marked.
     */
    void unquiet(String tenantId, Message message);

    /**
     * Moves the room's {@code lastSeq}, last-message preview and {@code updatedAt} to {@code message}, unless a newer
     * message already moved them (a lost race is ignored: the newer one is the room's last), keeping the read
     * positions the room names ({@link dev.sendsar.domain.Room#priorMessage}): the room then names the sender as
     * having read through the message. A position the room stops naming, or the sender's own when a newer message
     * moved the room first, is written to that member's read cursor (forward only, existing members only).
     * {@code lastSender}: who the caller believes sent the room's last message (null: none), which picks the write
     * tried first; a wrong guess costs a retry.
     */
    void markNewest(String tenantId, Message message, String lastSender);

    /** Whose {@code clientMessageId} in which room: a sender's retries of one message share it. */
    record ClientKey(String roomId, String senderId, String clientMessageId) { }

    /**
     * A sender's claim on a {@code clientMessageId}: {@code owner} (one attempt's id) is putting the message at
     * {@code seq} or at most {@link #CLAIM_WINDOW} seqs after it (0: the attempt knew no seq of the room yet, so from
     * seq 1), since {@code attemptAt}. A claim with no owner points at a message stored before claims existed.
     */
    record Reservation(String owner, long seq, String attemptAt) { }

    /**
     * How far past the seq its claim names a message may land. The claim is written before the room is read, with the
     * seq the sending instance expects; an instance that did not store the room's last messages expects too low a
     * seq, and moving the claim would cost a write per such send: it moves only when the put goes past this window.
     */
    int CLAIM_WINDOW = 20;

    /** Claims the key for {@code mine}; empty when it is now ours, else the claim that holds it. */
    Optional<Reservation> reserve(String tenantId, ClientKey key, Reservation mine);

    Optional<Reservation> reservation(String tenantId, ClientKey key);

    /** Points the claim at another seq before the owner tries it; false when {@code owner} no longer holds it. */
    boolean moveReservation(String tenantId, ClientKey key, String owner, long seq);

    /** Takes over a claim whose owner is over (see MessageService); false when it changed since it was read. */
    boolean takeOver(String tenantId, ClientKey key, Reservation stale, Reservation mine);

    /** Drops the claim of a refused send, if {@code owner} still holds it: a later retry is a new send. */
    void release(String tenantId, ClientKey key, String owner);

    Optional<Message> findBySeq(String tenantId, String roomId, long seq);

    Optional<Message> findById(String tenantId, String roomId, String messageId);

    /** The messages of the room with these ids, by id; ids that are not messages of the room are left out. */
    java.util.Map<String, Message> findByIds(String tenantId, String roomId, java.util.Collection<String> messageIds);

    /** The message the key's sender stored in the room with this {@code clientMessageId}, if it is stored. */
    default Optional<Message> findByClientMessageId(String tenantId, ClientKey key) {
        return reservation(tenantId, key).flatMap(claim -> findClaimed(tenantId, key, claim));
    }

    /**
     * The message of a claim's attempt, if it is stored: sought through the claim's whole window, page by page (a
     * slice may end early at its byte budget when the messages are large, and a message past it is still the original).
     */
    default Optional<Message> findClaimed(String tenantId, ClientKey key, Reservation claim) {
        long last = Math.max(1, claim.seq()) + CLAIM_WINDOW;
        long after = Math.max(1, claim.seq()) - 1;
        while (after < last) {
            Slice slice = after(tenantId, key.roomId(), after, (int) (last - after));
            for (Message m : slice.messages()) {
                if (m.seq() <= last && key.senderId().equals(m.senderId()) && key.clientMessageId().equals(m.clientMessageId())) {
                    return Optional.of(m);
                }
                after = m.seq();
            }
            if (!slice.more() || slice.messages().isEmpty()) {
                break;
            }
        }
        return Optional.empty();
    }

    /**
     * Applies {@code change} to the stored message atomically: concurrent changes (two reactions at once) are
     * re-applied to the newer version rather than lost. The change may throw to refuse; returning the message
     * unchanged writes nothing. Keeps the pinned list, and the room's last-message preview when this is the room's
     * newest message, in step. Empty when there is no such message. After a bounded number of lost races it gives
     * up with 503 {@code message_busy}.
     */
    Optional<Message> update(String tenantId, String roomId, long seq, java.util.function.UnaryOperator<Message> change);

    /** The room's pinned messages, newest pin first. */
    List<Message> pinned(String tenantId, String roomId);

    /**
     * Part of a timeline: at most the asked-for number of messages, and whether more follow. A slice may hold fewer
     * messages than asked and still have {@code more} (a storage page ends at a size limit), so only {@code more}
     * says where the timeline ends.
     */
    record Slice(List<Message> messages, boolean more) {
    }

    /** Newest first, strictly below {@code beforeSeq} when it is given. */
    Slice before(String tenantId, String roomId, Long beforeSeq, int limit);

    /** Oldest first, strictly above {@code afterSeq}. */
    Slice after(String tenantId, String roomId, long afterSeq, int limit);
}
