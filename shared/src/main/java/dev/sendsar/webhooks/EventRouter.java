package dev.sendsar.webhooks;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import dev.sendsar.calls.CallEvents;
import dev.sendsar.domain.Message;
import dev.sendsar.domain.Room;
import dev.sendsar.domain.Times;
import dev.sendsar.dynamo.TableKeys;
import dev.sendsar.json.Json;
import dev.sendsar.ports.RoomRepository;
import dev.sendsar.push.PushService;
import dev.sendsar.service.RoomViews;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the data table's change stream into server events and queues one delivery per event for tenants whose
 * webhook wants it. The stream is the outbox: a committed write is a record by construction, so an event exists for
 * every answered request even if the function that wrote it died right after. What becomes an event:
 * <ul>
 *   <li>a new message item: {@code message.created}, and for a {@code data-membership} message also
 *       {@code room.participants_changed};</li>
 *   <li>a changed message item: {@code message.deleted} when it became deleted, else {@code message.updated} when
 *       its document changed (edit, reaction, pin);</li>
 *   <li>a new room item: {@code room.created};</li>
 *   <li>a call item's state change: {@code call.started}, {@code call.ended}, {@code call.missed} (see {@link CallEvents}).</li>
 * </ul>
 * A new message item also goes to {@link PushService#messageCreated} (push jobs), for every tenant. No other record
 * reaches the router: its event source filters the stream to these ({@code RouteTable.EVENT_RECORDS}), so a send's
 * claim, rate-limit counter and room-item move, receipts and connections invoke nothing.
 * A record is routed at least once (retries, restarts): the delivery log's conditional put and the stable event id
 * make a repeat harmless, and a repeat of a record whose delivery was never queued queues it again.
 */
@Singleton
public class EventRouter {
    private static final Pattern ROOM_KEY = Pattern.compile("^T#([^#]+)#R#([^#]+)$");

    private final WebhookConfigs configs;
    private final WebhookStore store;
    private final WebhookQueue queue;
    private final RoomRepository rooms;
    private final Json json;
    private final CallEvents calls;
    private final PushService push;

    public EventRouter(WebhookConfigs configs, WebhookStore store, WebhookQueue queue, RoomRepository rooms, Json json,
                       CallEvents calls, PushService push) {
        this.configs = configs;
        this.store = store;
        this.queue = queue;
        this.rooms = rooms;
        this.json = json;
        this.calls = calls;
        this.push = push;
    }

    /** Routes one stream record; throws if it must be tried again (the shard waits for it). */
    public void route(DynamodbEvent.DynamodbStreamRecord record) {
        String pk = str(record.getDynamodb().getKeys(), TableKeys.PK);
        Matcher roomKey = pk == null ? null : ROOM_KEY.matcher(pk);
        if (roomKey == null || !roomKey.matches()) {
            return;
        }
        String tenantId = roomKey.group(1);
        pushIfNewMessage(record, tenantId);
        Optional<WebhookConfig> config = configs.of(tenantId);
        if (config.isEmpty() || !config.get().enabled()) {
            return;
        }
        for (ServerEvent event : events(record, tenantId, roomKey.group(2))) {
            if (config.get().wants(event.type())) {
                enqueue(tenantId, event);
            }
        }
    }

    /**
     * A new message item also becomes push jobs, whether or not the tenant has a webhook; so does a quiet one whose
     * mark its send took off (a recipient's socket was gone: the item changed, its document did not).
     */
    private void pushIfNewMessage(DynamodbEvent.DynamodbStreamRecord record, String tenantId) {
        String sk = str(record.getDynamodb().getKeys(), TableKeys.SK);
        String doc = str(record.getDynamodb().getNewImage(), "doc");
        if ((isNew(record) || wasUnquieted(record)) && sk != null && sk.startsWith(TableKeys.MESSAGE_PREFIX) && doc != null) {
            try {
                push.messageCreated(tenantId, json.read(doc, Message.class));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static boolean isNew(DynamodbEvent.DynamodbStreamRecord record) {
        return "INSERT".equals(record.getEventName());
    }

    /** A change that took the quiet mark off and left the document as it was (MessageRepository#unquiet). */
    private static boolean wasUnquieted(DynamodbEvent.DynamodbStreamRecord record) {
        var before = record.getDynamodb().getOldImage();
        var after = record.getDynamodb().getNewImage();
        return "MODIFY".equals(record.getEventName()) && before != null && after != null
                && before.containsKey(TableKeys.QUIET) && !after.containsKey(TableKeys.QUIET)
                && Objects.equals(str(before, "doc"), str(after, "doc"));
    }

    private void enqueue(String tenantId, ServerEvent event) {
        String now = Times.now();
        Delivery pending = new Delivery(event.id(), event.type(), Delivery.PENDING, 0, null, null, null, null,
                event.createdAt(), now, json.write(event.toBody()));
        boolean created = store.createDelivery(tenantId, pending);
        if (!created) {
            // Routed before: queue again only if that run may have died before queueing (nothing tried yet).
            Optional<Delivery> existing = store.delivery(tenantId, event.id());
            if (existing.isEmpty() || !existing.get().status().equals(Delivery.PENDING) || existing.get().attempts() > 0) {
                return;
            }
        }
        queue.send(new WebhookQueue.Task(tenantId, event.id(), 1, 0, 0));
    }

    List<ServerEvent> events(DynamodbEvent.DynamodbStreamRecord record, String tenantId, String roomId) {
        String sk = str(record.getDynamodb().getKeys(), TableKeys.SK);
        String change = record.getEventName();
        long at = record.getDynamodb().getApproximateCreationDateTime() == null ? System.currentTimeMillis()
                : record.getDynamodb().getApproximateCreationDateTime().getTime();
        String createdAt = Times.format(Instant.ofEpochMilli(at));
        String source = record.getEventID();
        List<ServerEvent> events = new ArrayList<>();
        if (TableKeys.META.equals(sk) && "INSERT".equals(change)) {
            Optional<Room> room = rooms.find(tenantId, roomId);
            if (room.isPresent()) {
                Object data = RoomViews.detail(room.get(), null, rooms.members(tenantId, roomId));
                events.add(new ServerEvent(EventIds.of(at, source + "/" + ServerEvent.ROOM_CREATED), ServerEvent.ROOM_CREATED,
                        tenantId, createdAt, roomId, room.get().externalId(), null, room.get().name(), data));
            }
            return events;
        }
        if (CallEvents.isCall(sk)) {
            calls.of(str(record.getDynamodb().getOldImage(), "doc"), str(record.getDynamodb().getNewImage(), "doc"))
                    .ifPresent(call -> events.add(new ServerEvent(EventIds.of(at, source + "/" + call.type()), call.type(),
                            tenantId, createdAt, roomId, rooms.find(tenantId, roomId).map(Room::externalId).orElse(null),
                            call.senderId(), null, call.data())));
            return events;
        }
        if (sk == null || !sk.startsWith("S#") || !("INSERT".equals(change) || "MODIFY".equals(change))) {
            return events;
        }
        Map<String, Object> message = json.readMap(str(record.getDynamodb().getNewImage(), "doc"));
        if (message == null) {
            return events;
        }
        List<String> types = new ArrayList<>();
        if ("INSERT".equals(change)) {
            types.add(ServerEvent.MESSAGE_CREATED);
            if (membership(message) != null) {
                types.add(ServerEvent.ROOM_PARTICIPANTS_CHANGED);
            }
        } else {
            Map<String, Object> before = json.readMap(str(record.getDynamodb().getOldImage(), "doc"));
            if (before != null && before.get("deletedAt") == null && message.get("deletedAt") != null) {
                types.add(ServerEvent.MESSAGE_DELETED);
            } else if (!Objects.equals(before, message)) {
                types.add(ServerEvent.MESSAGE_UPDATED);
            }
        }
        if (types.isEmpty()) {
            return events;
        }
        String externalId = rooms.find(tenantId, roomId).map(Room::externalId).orElse(null);
        String senderId = (String) message.get("senderId");
        String preview = (String) message.get("previewText");
        for (String type : types) {
            Object data = message;
            if (type.equals(ServerEvent.ROOM_PARTICIPANTS_CHANGED)) {
                Map<String, Object> participants = new java.util.LinkedHashMap<>();
                Map<?, ?> membership = membership(message);
                participants.put("roomId", roomId);
                participants.put("action", membership.get("action"));
                participants.put("targetUserId", membership.get("targetUserId"));
                participants.put("actorUserId", membership.get("actorUserId"));
                data = participants;
            }
            events.add(new ServerEvent(EventIds.of(at, source + "/" + type), type, tenantId, createdAt, roomId, externalId,
                    senderId, preview, data));
        }
        return events;
    }

    /** The data of a message's {@code data-membership} part, or null. */
    private static Map<?, ?> membership(Map<String, Object> message) {
        if (message.get("parts") instanceof List<?> parts) {
            for (Object part : parts) {
                if (part instanceof Map<?, ?> p && "data-membership".equals(p.get("type")) && p.get("data") instanceof Map<?, ?> data) {
                    return data;
                }
            }
        }
        return null;
    }

    private static String str(Map<String, AttributeValue> image, String name) {
        if (image == null) {
            return null;
        }
        AttributeValue value = image.get(name);
        return value == null ? null : value.getS();
    }
}
