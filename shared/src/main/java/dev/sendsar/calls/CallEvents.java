package dev.sendsar.calls;

import dev.sendsar.dynamo.TableKeys;
import dev.sendsar.json.Json;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.util.Optional;

/**
 * The {@code call.*} webhooks (API.md §7) of a change of the data table, for the change-stream outbox: a call item
 * that appears is {@code call.started}; one that becomes {@code missed} is {@code call.missed}; one that becomes
 * {@code ended} or {@code declined} is {@code call.ended}. Every other change is no event. A call reaches each state
 * once (its item changes by compare-and-set), so each event comes from exactly one stream record.
 */
@Singleton
public class CallEvents {
    /** One webhook event: its type, the room it is about, who it is from, and the full {@code CallRecord}. */
    public record Event(String type, String roomId, String senderId, Call data) {
    }

    private final Json json;

    public CallEvents(Json json) {
        this.json = json;
    }

    /** Whether an item with this sort key is a call (not one of its pointer items). */
    public static boolean isCall(String sortKey) {
        return sortKey != null && sortKey.startsWith(TableKeys.CALL_PREFIX);
    }

    /**
     * The event of one change of a call item, from its {@code doc} attribute before and after (null when the item did
     * not exist before, or was removed).
     */
    public Optional<Event> of(String oldDoc, String newDoc) {
        if (newDoc == null) {
            return Optional.empty();
        }
        Call after = read(newDoc);
        if (oldDoc == null) {
            return Optional.of(new Event("call.started", after.roomId(), after.createdByUserId(), after));
        }
        Call before = read(oldDoc);
        if (before.finished() || !after.finished()) {
            return Optional.empty();
        }
        String type = Call.MISSED.equals(after.status()) ? "call.missed" : "call.ended";
        return Optional.of(new Event(type, after.roomId(), after.createdByUserId(), after));
    }

    private Call read(String doc) {
        try {
            return json.read(doc, Call.class);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("A call item's doc is not valid JSON", e);
        }
    }
}
