package dev.sendsar.infra;

import dev.sendsar.dynamo.TableKeys;
import dev.sendsar.routes.RouteTable;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.sendsar.infra.RouteAccess.ControlPlane.ADMIN;
import static dev.sendsar.infra.RouteAccess.ControlPlane.APP;
import static dev.sendsar.infra.RouteAccess.ControlPlane.SETTINGS;
import static dev.sendsar.infra.RouteAccess.ObjectAction.DELETE;
import static dev.sendsar.infra.RouteAccess.ObjectAction.GET;
import static dev.sendsar.infra.RouteAccess.ObjectAction.LIST_BUCKET;
import static dev.sendsar.infra.RouteAccess.ObjectAction.PUT;
import static dev.sendsar.infra.RouteAccess.TableAction.BATCH_GET_ITEM;
import static dev.sendsar.infra.RouteAccess.TableAction.DELETE_ITEM;
import static dev.sendsar.infra.RouteAccess.TableAction.GET_ITEM;
import static dev.sendsar.infra.RouteAccess.TableAction.PUT_ITEM;
import static dev.sendsar.infra.RouteAccess.TableAction.QUERY;
import static dev.sendsar.infra.RouteAccess.TableAction.UPDATE_ITEM;

/**
 * The grants of every route's function, keyed by the route's function name in {@link RouteTable}. Derived by reading
 * the services each route calls. A route added to the table without an entry here stops the synth, so no route
 * reaches AWS with guessed permissions.
 */
public final class RouteAccessTable {

    /** The HTTP API's {@code $default} route goes to this function: the REST app renders the JSON 404/405 itself. */
    public static final String HTTP_FALLBACK_ROUTE = "realtime-info";

    /*
     * How to read an entry: every caller-authenticated route (API key or session token) reads the control plane
     * (API key -> tenant, tenant active) through a short-TTL cache, hence APP; so do services that read tenant
     * settings (rate limits, media limits, deleted-message display). Fan-out ("publish") is one BatchGetItem per 100
     * users (their connection sets), a post per connection, and for each connection API Gateway
     * says is gone (410) a DeleteItem and an UpdateItem (its id out of the user's set). A WebSocket action
     * first reads its connection and extends its TTL (GetItem + UpdateItem) and answers over @connections; an error
     * frame whose socket is gone deletes the connection item. Rate limits are one conditional UpdateItem on a counter.
     * Transactions need the item actions they contain; no code path uses a ConditionCheck item. Reading a room with
     * its member ids (RoomRepository.find: authorization, audiences, presence) is a table Query of its two items, so
     * every route that reads a room needs QUERY.
     */
    private static final Map<String, RouteAccess> ACCESS = Map.ofEntries(
            // --- operator (x-admin-key): tenants and API keys, as DSQL's admin role
            Map.entry("admin-create-tenant", RouteAccess.builder().controlPlane(ADMIN).operatorKey().build()),
            Map.entry("admin-issue-api-key", RouteAccess.builder().controlPlane(ADMIN).operatorKey().build()),
            Map.entry("admin-revoke-api-key", RouteAccess.builder().controlPlane(ADMIN).operatorKey().build()),

            // --- users and sessions
            Map.entry("upsert-user", RouteAccess.builder().controlPlane(APP).table(UPDATE_ITEM).build()),
            Map.entry("get-user", RouteAccess.builder().controlPlane(APP).table(GET_ITEM).build()),
            // Reads the user; a new displayName upserts it.
            // The only function that may read the private signing keys (Secrets Manager, read once per instance).
            Map.entry("mint-token", RouteAccess.builder().controlPlane(APP).table(GET_ITEM, UPDATE_ITEM).signingKey().build()),
            // Push tokens: rate limit (settings + counter), the user must exist (GetItem), then one item per token under the
            // user; over 20, the oldest go.
            Map.entry("register-own-device-token", RouteAccess.builder().controlPlane(APP).table(GET_ITEM, UPDATE_ITEM, PUT_ITEM, QUERY, DELETE_ITEM).build()),
            Map.entry("register-device-token", RouteAccess.builder().controlPlane(APP).table(GET_ITEM, UPDATE_ITEM, PUT_ITEM, QUERY, DELETE_ITEM).build()),
            Map.entry("unregister-own-device-token", RouteAccess.builder().controlPlane(APP).table(UPDATE_ITEM, DELETE_ITEM).build()),
            // Public keys and the WebSocket URL: no caller, no data.
            Map.entry("jwks", RouteAccess.builder().build()),
            Map.entry("realtime-info", RouteAccess.builder().build()),

            // --- rooms
            // External id lookup, participants upserted as users, one transaction puts room, members and external id
            // (a lost external-id race reads the winner), then the detail queries the members.
            Map.entry("create-room", RouteAccess.builder().controlPlane(APP)
                    .table(GET_ITEM, UPDATE_ITEM, PUT_ITEM, QUERY).build()),
            // A user's membership keys (GSI1), then those member items and their rooms in batches, sorted by
            // activity; or a lookup by external id.
            Map.entry("list-rooms", RouteAccess.builder().controlPlane(APP).table(GET_ITEM, BATCH_GET_ITEM, QUERY)
                    .queriesIndex(TableKeys.GSI1).build()),
            Map.entry("get-room", RouteAccess.builder().controlPlane(APP).table(GET_ITEM, QUERY).build()),
            // Room + operator check, conditional update, room-updated to every participant, detail (members query).
            Map.entry("update-room", RouteAccess.builder().controlPlane(APP)
                    .table(GET_ITEM, UPDATE_ITEM, DELETE_ITEM, QUERY).table(BATCH_GET_ITEM)
                    .postsToConnections().build()),
            // Upserts the user, one transaction (member list, room item, member put, the data-membership message at
            // the next seq), the record's fan-out, room-participants-changed, detail.
            Map.entry("add-participant", RouteAccess.builder().controlPlane(APP)
                    .table(GET_ITEM, UPDATE_ITEM, PUT_ITEM, DELETE_ITEM, QUERY).table(BATCH_GET_ITEM)
                    .postsToConnections().sendsTo("fan-out").build()),
            // Operator check, member read, member update, detail; announces nothing.
            Map.entry("change-participant-role", RouteAccess.builder().controlPlane(APP)
                    .table(GET_ITEM, UPDATE_ITEM, QUERY).build()),
            // As above, with the member item deleted, then detail.
            Map.entry("remove-participant", RouteAccess.builder().controlPlane(APP)
                    .table(GET_ITEM, UPDATE_ITEM, PUT_ITEM, DELETE_ITEM, QUERY).table(BATCH_GET_ITEM)
                    .postsToConnections().sendsTo("fan-out").build()),
            // 1:1: hides the room (member update). Group: leaves it like remove-participant, without the detail.
            Map.entry("delete-room-for-me", RouteAccess.builder().controlPlane(APP)
                    .table(GET_ITEM, UPDATE_ITEM, PUT_ITEM, DELETE_ITEM, QUERY).table(BATCH_GET_ITEM)
                    .postsToConnections().sendsTo("fan-out").build()),
            // Member update (cleared-through) and read-cursor advance; tells nobody.
            Map.entry("clear-history", RouteAccess.builder().controlPlane(APP).table(GET_ITEM, UPDATE_ITEM, QUERY).build()),
            // Room, message by id (pointer + message), member, conditional cursor update, room-read/-delivered fan-out.
            Map.entry("mark-read", RouteAccess.builder().controlPlane(APP).table(GET_ITEM, UPDATE_ITEM, DELETE_ITEM, QUERY)
                    .table(BATCH_GET_ITEM).postsToConnections().build()),
            Map.entry("mark-delivered", RouteAccess.builder().controlPlane(APP).table(GET_ITEM, UPDATE_ITEM, DELETE_ITEM, QUERY)
                    .table(BATCH_GET_ITEM).postsToConnections().build()),

            // Rate limit (settings + counter), room and member read, member update (the mute is a field of the member item).
            Map.entry("mute-room", RouteAccess.builder().controlPlane(APP).table(GET_ITEM, UPDATE_ITEM, QUERY).build()),
            Map.entry("unmute-room", RouteAccess.builder().controlPlane(APP).table(GET_ITEM, UPDATE_ITEM, QUERY).build()),

            // --- messages
            // Rate limit (settings + counter), the room item (or the room and its member ids: a table query), the
            // clientMessageId claim (put, moved, dropped on refusal; a repeat reads it and the original), parent
            // message, file parts checked (batch read of uploads, membership reads, uploads shared with the room),
            // the message put at the next seq, the room item's lastSeq and the sender's cursor (updates), download
            // URLs presigned for file parts, fan-out (members past the first 100 of a big room: batches queued for
            // the fan-out worker).
            Map.entry("send-message", RouteAccess.builder().controlPlane(APP)
                    .table(GET_ITEM, BATCH_GET_ITEM, QUERY, PUT_ITEM, UPDATE_ITEM, DELETE_ITEM)
                    .postsToConnections().uploads(GET).sendsTo("fan-out").build()),
            // Room, members (viewer's cleared-through, peers' receipts), a page of messages, download URLs for files.
            Map.entry("list-messages", RouteAccess.builder().controlPlane(APP).table(GET_ITEM, BATCH_GET_ITEM, QUERY)
                    .uploads(GET).build()),
            // Room, member, message by id, then read + conditional update of the message, download URLs for its file
            // parts (uploads batch read, presigned GET), message-updated fan-out.
            // Edit and reactions never change the pin, so they never touch the pin item.
            Map.entry("edit-message", RouteAccess.builder().controlPlane(APP)
                    .table(GET_ITEM, BATCH_GET_ITEM, UPDATE_ITEM, DELETE_ITEM, QUERY)
                    .postsToConnections().uploads(GET).build()),
            // As edit, plus the tenant's deleted-message display (settings); deleting a pinned message deletes its pin.
            // A deleted message has no parts left, so there are no download URLs to presign; a reply's parent is
            // read in a batch.
            Map.entry("delete-message", RouteAccess.builder().controlPlane(APP)
                    .table(GET_ITEM, BATCH_GET_ITEM, UPDATE_ITEM, DELETE_ITEM, QUERY).postsToConnections().build()),
            Map.entry("toggle-reaction", RouteAccess.builder().controlPlane(APP)
                    .table(GET_ITEM, BATCH_GET_ITEM, UPDATE_ITEM, DELETE_ITEM, QUERY)
                    .postsToConnections().uploads(GET).build()),
            // The message update and the pin item's put (pin) or delete (unpin) are one transaction.
            Map.entry("pin-message", RouteAccess.builder().controlPlane(APP)
                    .table(GET_ITEM, BATCH_GET_ITEM, UPDATE_ITEM, PUT_ITEM, DELETE_ITEM, QUERY)
                    .postsToConnections().uploads(GET).build()),
            Map.entry("unpin-message", RouteAccess.builder().controlPlane(APP)
                    .table(GET_ITEM, BATCH_GET_ITEM, UPDATE_ITEM, DELETE_ITEM, QUERY)
                    .postsToConnections().uploads(GET).build()),
            // Pin items of the room (table query), then each message, with download URLs for file parts.
            Map.entry("list-pinned-messages", RouteAccess.builder().controlPlane(APP).table(GET_ITEM, BATCH_GET_ITEM, QUERY)
                    .uploads(GET).build()),
            // Rate limit (a send per target room), source message, each target room, then per target what
            // send-message's delivery does.
            Map.entry("forward-message", RouteAccess.builder().controlPlane(APP)
                    .table(GET_ITEM, BATCH_GET_ITEM, QUERY, PUT_ITEM, UPDATE_ITEM, DELETE_ITEM)
                    .postsToConnections().uploads(GET).sendsTo("fan-out").build()),
            // Rooms in one batch, member reads, messages after a seq (table query) with download URLs for file parts,
            // unread total over GSI1.
            Map.entry("sync", RouteAccess.builder().controlPlane(APP).table(GET_ITEM, BATCH_GET_ITEM, QUERY)
                    .queriesIndex(TableKeys.GSI1).uploads(GET).build()),

            // --- tenant settings (control plane only)
            Map.entry("get-tenant-settings", RouteAccess.builder().controlPlane(APP).build()),
            // The one control-plane write outside /v1/admin: compare-and-set of tenants.settings; it seals push
            // credentials with the key of webhook secrets.
            Map.entry("patch-tenant-settings", RouteAccess.builder().controlPlane(SETTINGS).webhookSecrets().build()),

            // --- uploads (objects under t/{tenant}/{uploadId})
            // Rate limit (settings + counter), media limits (settings), membership of the named room, upload item put,
            // presigned PUT.
            Map.entry("presign-upload", RouteAccess.builder().controlPlane(APP).table(GET_ITEM, UPDATE_ITEM, PUT_ITEM)
                    .uploads(PUT).build()),
            // Rate limit, upload item, HeadObject of the pending object for size and ETag (404 needs ListBucket, see
            // ObjectAction), CopyObject to the final key (Get on the source, Put on the target), delete of the pending
            // object, conditional mark-ready.
            Map.entry("complete-upload", RouteAccess.builder().controlPlane(APP).table(GET_ITEM, UPDATE_ITEM)
                    .uploads(GET, PUT, DELETE, LIST_BUCKET).build()),
            // Rate limit, upload item, both objects and the item deleted.
            Map.entry("abort-upload", RouteAccess.builder().controlPlane(APP).table(GET_ITEM, UPDATE_ITEM, DELETE_ITEM)
                    .uploads(DELETE).build()),
            // Upload item, membership reads of its rooms, presigned GET.
            Map.entry("upload-access", RouteAccess.builder().controlPlane(APP).table(GET_ITEM).uploads(GET).build()),
            Map.entry("upload-access-batch", RouteAccess.builder().controlPlane(APP).table(GET_ITEM, BATCH_GET_ITEM)
                    .uploads(GET).build()),

            // --- tenant webhooks (configuration item and delivery log in the table; secrets encrypted with the key)
            Map.entry("get-webhook", RouteAccess.builder().controlPlane(APP).table(GET_ITEM).webhookSecrets().build()),
            Map.entry("put-webhook", RouteAccess.builder().controlPlane(APP).table(GET_ITEM, PUT_ITEM).webhookSecrets().build()),
            Map.entry("rotate-webhook-secret", RouteAccess.builder().controlPlane(APP).table(GET_ITEM, PUT_ITEM)
                    .webhookSecrets().build()),
            // Signs and POSTs console.test to the tenant's URL.
            Map.entry("test-webhook", RouteAccess.builder().controlPlane(APP).table(GET_ITEM).webhookSecrets().build()),
            Map.entry("list-webhook-deliveries", RouteAccess.builder().controlPlane(APP).table(QUERY).build()),
            // Reads the log entry, queues the event again, marks it pending.
            Map.entry("replay-webhook-delivery", RouteAccess.builder().controlPlane(APP).table(GET_ITEM, PUT_ITEM)
                    .sendsTo("webhooks").build()),

            // --- workers
            // Stream records in: webhook configuration, room and members (room.created data, roomExternalId), a
            // conditional put of the delivery log entry, one message per delivery to the webhooks queue; for a new
            // message also the tenant's push settings (control plane) and one push job per recipient batch.
            Map.entry("event-router", RouteAccess.builder().controlPlane(APP).table(GET_ITEM, QUERY, PUT_ITEM)
                    .sendsTo("webhooks").sendsTo("push").webhookSecrets().build()),
            // Log entry and configuration in, one signed POST, the outcome written back; the next attempt (delayed)
            // or, after the last, the task to the dead-letter queue.
            Map.entry("webhook-delivery", RouteAccess.builder().table(GET_ITEM, PUT_ITEM).sendsTo("webhooks")
                    .sendsTo("webhooks-dlq").webhookSecrets().build()),

            // --- calls (session token; settings for calls.*; LiveKit for tokens and room deletion)
            // Settings, room, active-call pointer, call.
            Map.entry("get-active-call", RouteAccess.builder().controlPlane(APP).table(GET_ITEM, QUERY).liveKit().build()),
            // As above, the user's name (token), the ring timer (1:1), a transaction putting call and pointers (or a
            // conditional put of a joined call), call-invite fan-out; a 1:1 callee's start accepts (call-accepted).
            Map.entry("start-call", RouteAccess.builder().controlPlane(APP).table(GET_ITEM, PUT_ITEM, DELETE_ITEM, UPDATE_ITEM, QUERY)
                    .table(BATCH_GET_ITEM).postsToConnections().sendsTo("ring-timeouts").liveKit().build()),
            Map.entry("accept-call", RouteAccess.builder().controlPlane(APP).table(GET_ITEM, PUT_ITEM, DELETE_ITEM, UPDATE_ITEM, QUERY)
                    .table(BATCH_GET_ITEM).postsToConnections().liveKit().build()),
            // A finished call: its clean-up check queued, the transaction (put call, delete both pointers), call-*
            // fan-out, the history message (send-message's put and fan-out), the LiveKit room deleted, or a retry queued.
            Map.entry("decline-call", finishesCalls()),
            Map.entry("end-call", finishesCalls()),
            Map.entry("leave-call", finishesCalls()),
            Map.entry("livekit-webhook", finishesCalls()),
            Map.entry("call-ring-timeouts", finishesCalls()),
            Map.entry("refresh-call-token", RouteAccess.builder().controlPlane(APP).table(GET_ITEM).liveKit().build()),

            // --- WebSocket
            // $connect checks the token's tenant is active and the connect rate (counter), reads the user's open
            // connections (their set, then the items: the 10-socket cap), and at the cap asks API Gateway whether each
            // is still open, forgetting those that are gone; then writes the connection and enters it in the set.
            Map.entry("ws-connect", RouteAccess.builder().controlPlane(APP)
                    .table(PUT_ITEM, UPDATE_ITEM, BATCH_GET_ITEM, DELETE_ITEM).checksConnections().build()),
            // Reads and deletes the connection, then tells the tenant's connections (GSI1) the user went offline and
            // the joined room's connections (batch reads of the members' connection sets) it left.
            Map.entry("ws-disconnect", RouteAccess.builder().table(GET_ITEM, DELETE_ITEM, UPDATE_ITEM, QUERY)
                    .queriesIndex(TableKeys.GSI1).table(BATCH_GET_ITEM).postsToConnections().build()),
            // ready (unread total: membership keys over GSI1 + members and rooms batch), presence snapshot of the
            // tenant (GSI1).
            Map.entry("ws-hello", RouteAccess.builder().table(GET_ITEM, BATCH_GET_ITEM, UPDATE_ITEM, DELETE_ITEM)
                    .queriesIndex(TableKeys.GSI1).postsToConnections().build()),
            // Rate limit (settings + counter), room, sets the joined room, presence over the members' connections.
            Map.entry("ws-join-room", RouteAccess.builder().controlPlane(APP).table(GET_ITEM, UPDATE_ITEM, DELETE_ITEM, QUERY)
                    .table(BATCH_GET_ITEM).postsToConnections().build()),
            Map.entry("ws-leave-room", RouteAccess.builder().table(GET_ITEM, UPDATE_ITEM, DELETE_ITEM, QUERY)
                    .table(BATCH_GET_ITEM).postsToConnections().build()),
            Map.entry("ws-ping", RouteAccess.builder().table(GET_ITEM, UPDATE_ITEM, DELETE_ITEM).postsToConnections().build()),
            // Rate limit on starts (settings + counter), room, typing to the room's other joined connections.
            Map.entry("ws-typing", RouteAccess.builder().controlPlane(APP).table(GET_ITEM, UPDATE_ITEM, DELETE_ITEM, QUERY)
                    .table(BATCH_GET_ITEM).postsToConnections().build()),
            // Only ever answers an error frame.
            Map.entry("ws-default", RouteAccess.builder().table(DELETE_ITEM, UPDATE_ITEM).postsToConnections().build()),

            // --- workers (reading their stream or queue is the event source's grant)
            // Settings, room, message, each recipient's member item, connection sets (batch) and tokens (query), unread
            // total (membership keys over GSI1 + members and rooms batch), delivery marks (get, put), dead tokens
            // deleted, retries re-queued; it alone decrypts the tenant's push credentials (the key of webhook secrets).
            Map.entry("push-sender", RouteAccess.builder().controlPlane(APP)
                    .table(GET_ITEM, BATCH_GET_ITEM, QUERY, PUT_ITEM, DELETE_ITEM)
                    .queriesIndex(TableKeys.GSI1).sendsTo("push").webhookSecrets().build()),
            // The batch's users' connection sets (batch read), one post per socket; a 410 deletes the connection
            // item and its entry in the set.
            Map.entry("fan-out", RouteAccess.builder().table(BATCH_GET_ITEM, DELETE_ITEM, UPDATE_ITEM)
                    .postsToConnections().build()));

    private RouteAccessTable() {
    }

    private static RouteAccess finishesCalls() {
        return RouteAccess.builder().controlPlane(APP).table(GET_ITEM, BATCH_GET_ITEM, QUERY, PUT_ITEM, UPDATE_ITEM, DELETE_ITEM)
                .table(BATCH_GET_ITEM).postsToConnections().sendsTo("ring-timeouts").sendsTo("fan-out").liveKit().build();
    }

    /** The grants of the function named {@code routeName}; fails for a route nobody has decided grants for. */
    public static RouteAccess of(String routeName) {
        RouteAccess access = ACCESS.get(routeName);
        if (access == null) {
            throw new IllegalStateException("Route '" + routeName + "' is in RouteTable but has no entry in "
                    + "RouteAccessTable: decide which table actions, indexes and connections it needs");
        }
        return access;
    }

    /** Fails if an entry names a route the route table no longer has, so stale grants cannot pile up. */
    public static void checkMatches(Set<String> routeNames) {
        Set<String> stale = ACCESS.keySet().stream().filter(name -> !routeNames.contains(name))
                .collect(Collectors.toCollection(TreeSet::new));
        if (!stale.isEmpty()) {
            throw new IllegalStateException("RouteAccessTable has entries for routes not in RouteTable: " + stale);
        }
        routeNames.forEach(RouteAccessTable::of);
        RouteAccess fallback = of(HTTP_FALLBACK_ROUTE);
        if (fallback.usesTable() || fallback.usesUploads() || fallback.connections()
                || fallback.controlPlane() != RouteAccess.ControlPlane.NONE) {
            throw new IllegalStateException("The $default fallback must be a function without data access");
        }
    }

    /** Every function name of the route table: HTTP routes, WebSocket routes and workers. */
    public static Set<String> routeNames() {
        return Stream.of(RouteTable.HTTP.stream().map(RouteTable.HttpRoute::name),
                RouteTable.WEBSOCKET.stream().map(RouteTable.WsRoute::name),
                RouteTable.WORKERS.stream().map(RouteTable.Worker::name)).flatMap(s -> s)
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
