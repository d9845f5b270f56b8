package dev.sendsar.routes;

import dev.sendsar.dynamo.TableKeys;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one list of functions: HTTP routes, WebSocket routes and workers. The CDK stack deploys one function per entry;
 * the local runtime serves exactly these routes, with the same route keys and path parameters API Gateway would give,
 * and runs every worker with a poller; tests hold the REST application, the WebSocket actions and the worker handlers
 * to it.
 *
 * <p><b>Adding a worker</b> is one {@link #WORKERS} entry plus one handler class in the functions module:
 * <pre>
 *   // RouteTable.WORKERS (the queue must be in QUEUES; CDK already gives it a DLQ and an alarm)
 *   Worker.sqs("push-sender", "dev.sendsar.push.PushWorker", "push", 30, 10, 5)
 *
 *   // functions: dev/sendsar/push/PushWorker.java
 *   public class PushWorker extends SqsWorkerFunction {          // MicronautRequestHandler&lt;SQSEvent, SQSBatchResponse&gt;
 *       &#64;Inject PushService push;
 *       public PushWorker() { }
 *       public PushWorker(ApplicationContext context) { super(context); }   // the local runtime uses this one
 *       &#64;Override protected void handle(SQSEvent.SQSMessage message) { push.send(...); }  // throw = retry this one
 *   }
 * </pre>
 * then its grants in infra-cdk's {@code RouteAccessTable} under the same name ({@code sendsTo(queue)} for producers).
 * CDK deploys it as its own Lambda with an event source reporting batch item failures; the local runtime polls its
 * queue (ElasticMQ) with the same partial-batch rules ({@code dev.sendsar.workers.PartialBatch}).
 */
public final class RouteTable {
    /**
     * The environment variable in which the stack gives every function its name in this table (an HTTP or WebSocket
     * route's {@code name}, a worker's {@code name}): the function builds only what that route uses. Unset where one
     * JVM serves every route (the local runtime, tests).
     */
    public static final String ROUTE_VARIABLE = "SENDSAR_ROUTE";
    /** Every REST function runs the same Micronaut application; API Gateway hands each only its own route. */
    public static final String REST_HANDLER = "dev.sendsar.functions.rest.RestFunction";
    public static final String CONNECT_HANDLER = "dev.sendsar.functions.ws.ConnectHandler";
    public static final String DISCONNECT_HANDLER = "dev.sendsar.functions.ws.DisconnectHandler";
    public static final String ACTION_HANDLER = "dev.sendsar.functions.ws.ActionHandler";

    /**
     * The sending device's own WebSocket connection id (from its {@code ready} frame), on a send or forward: that socket
     * gets no {@code new-message} for it, as the device has the message from the answer.
     */
    public static final String SENDER_CONNECTION_HEADER = "x-sendsar-connection-id";
    /** Request headers a page on another origin may send (the HTTP API's CORS configuration, deployed and local). */
    public static final List<String> CORS_ALLOW_HEADERS = List.of("authorization", "content-type", "x-api-key",
            SENDER_CONNECTION_HEADER);

    /** An HTTP API route; {@code name} names its function. */
    public record HttpRoute(String method, String path, String name) {
        public String routeKey() {
            return method + " " + path;
        }
    }

    /** A WebSocket API route key and the handler class its function runs. */
    public record WsRoute(String routeKey, String name, String handler) {
    }

    public record Match(HttpRoute route, Map<String, String> pathParameters) {
    }

    /**
     * An SQS queue of async work. CDK and the local runtime both give it a dead-letter queue {@code name + "-dlq"}
     * that a message moves to after {@code maxReceiveCount} receives.
     *
     * @param visibilitySeconds how long a received message stays hidden: at least 6x its worker's timeout (AWS's
     *                          guidance, so a message is not redelivered while a retried invocation still holds it)
     */
    public record Queue(String name, String purpose, int visibilitySeconds, int maxReceiveCount) {
        public Queue {
            if (name == null || !name.matches("[a-z0-9-]{1,60}")) {
                throw new IllegalArgumentException("queue name must be lower-case words with dashes: " + name);
            }
            if (visibilitySeconds < 1 || visibilitySeconds > 12 * 60 * 60) {
                throw new IllegalArgumentException(name + ": SQS visibility timeout is 1 s..12 h");
            }
            if (maxReceiveCount < 1 || maxReceiveCount > 1000) {
                throw new IllegalArgumentException(name + ": maxReceiveCount must be 1..1000");
            }
        }

        public String deadLetterName() {
            return name + "-dlq";
        }
    }

    /** What invokes a worker: messages of one of {@link #QUEUES}, or the data table's change stream. */
    public enum Trigger {
        SQS,
        /** DynamoDB Streams of the data table (new and old images), read from the oldest record on. */
        TABLE_STREAM
    }

    /**
     * Records of the table's stream that invoke a stream worker: those of one of {@code eventNames} ({@code INSERT},
     * {@code MODIFY}, {@code REMOVE}) whose sort key starts with {@code sortKeyPrefix}, and, when {@code unlessFlag}
     * names an attribute, whose new image does not hold it as a boolean. The rest never reach it: Lambda's event
     * filtering drops them before any invocation (a dropped record costs nothing), and the local runtime's stream
     * poller does the same.
     */
    public record StreamFilter(List<String> eventNames, String sortKeyPrefix, String unlessFlag) {
        public StreamFilter {
            eventNames = List.copyOf(eventNames);
            if (eventNames.isEmpty() || !List.of("INSERT", "MODIFY", "REMOVE").containsAll(eventNames)) {
                throw new IllegalArgumentException("stream event names are INSERT, MODIFY and REMOVE: " + eventNames);
            }
            if (sortKeyPrefix == null || sortKeyPrefix.isEmpty()) {
                throw new IllegalArgumentException("a stream filter names a sort-key prefix");
            }
        }

        public StreamFilter(List<String> eventNames, String sortKeyPrefix) {
            this(eventNames, sortKeyPrefix, null);
        }

        /** {@code flagged}: whether the record's new image holds the named boolean attribute (any value). */
        public boolean matches(String eventName, String sortKey, java.util.function.Predicate<String> flagged) {
            return eventNames.contains(eventName) && sortKey != null && sortKey.startsWith(sortKeyPrefix)
                    && (unlessFlag == null || !flagged.test(unlessFlag));
        }
    }

    /**
     * What the event router turns into events (see dev.sendsar.webhooks.EventRouter): a room item's creation, a
     * message's creation or change, a call's change. Everything else a request writes (a send's claim and rate-limit
     * counter and the room item's move, receipts, connections, the router's own delivery log) invokes nothing, nor
     * does a new message the send marked {@link TableKeys#QUIET} (nobody but the sockets it posted to is to hear of
     * it: see dev.sendsar.service.MessageService#quiet). A message's changes always invoke it.
     */
    public static final List<StreamFilter> EVENT_RECORDS = List.of(
            new StreamFilter(List.of("INSERT"), TableKeys.META),
            new StreamFilter(List.of("INSERT"), TableKeys.MESSAGE_PREFIX, TableKeys.QUIET),
            new StreamFilter(List.of("MODIFY"), TableKeys.MESSAGE_PREFIX),
            new StreamFilter(List.of("INSERT", "MODIFY"), TableKeys.CALL_PREFIX));

    /**
     * A function invoked by an event source, not by an API.
     *
     * @param queue          for {@link Trigger#SQS}: the name of the queue it consumes; null for the stream
     * @param timeoutSeconds the function timeout
     * @param batchSize      records per invocation at most
     * @param maxConcurrency invocations at once at most (SQS: the event source's maximum concurrency, 2 or more;
     *                       stream: shards are read one batch at a time each, so this is the parallelization factor)
     * @param streamFilters  for {@link Trigger#TABLE_STREAM}: the records it is invoked for (see {@link StreamFilter});
     *                       empty: every record
     */
    public record Worker(String name, String handler, Trigger trigger, String queue, int timeoutSeconds, int batchSize,
                         int maxConcurrency, List<StreamFilter> streamFilters) {
        public Worker {
            streamFilters = List.copyOf(streamFilters);
            if (trigger == Trigger.SQS && !streamFilters.isEmpty()) {
                throw new IllegalArgumentException(name + ": only a stream worker filters records");
            }
            if (name == null || !name.matches("[a-z0-9-]+")) {
                throw new IllegalArgumentException("worker name must be lower-case words with dashes: " + name);
            }
            if (handler == null || handler.isBlank()) {
                throw new IllegalArgumentException(name + ": handler is required");
            }
            if ((trigger == Trigger.SQS) != (queue != null)) {
                throw new IllegalArgumentException(name + ": an SQS worker names its queue, a stream worker none");
            }
            if (timeoutSeconds < 1 || timeoutSeconds > 900) {
                throw new IllegalArgumentException(name + ": Lambda timeouts are 1..900 s");
            }
            // SQS: up to 10 per batch needs no batching window; streams take up to 10,000, 1,000 is plenty.
            int maxBatch = trigger == Trigger.SQS ? 10 : 1000;
            if (batchSize < 1 || batchSize > maxBatch) {
                throw new IllegalArgumentException(name + ": batch size must be 1.." + maxBatch);
            }
            int minConcurrency = trigger == Trigger.SQS ? 2 : 1;
            int maxAllowed = trigger == Trigger.SQS ? 1000 : 10;
            if (maxConcurrency < minConcurrency || maxConcurrency > maxAllowed) {
                throw new IllegalArgumentException(name + ": concurrency must be " + minConcurrency + ".." + maxAllowed);
            }
        }

        public static Worker sqs(String name, String handler, String queue, int timeoutSeconds, int batchSize,
                                 int maxConcurrency) {
            return new Worker(name, handler, Trigger.SQS, queue, timeoutSeconds, batchSize, maxConcurrency, List.of());
        }

        public static Worker tableStream(String name, String handler, int timeoutSeconds, int batchSize,
                                         List<StreamFilter> filters) {
            return new Worker(name, handler, Trigger.TABLE_STREAM, null, timeoutSeconds, batchSize, 1, filters);
        }

        /**
         * Whether a stream record of {@code eventName} on an item with {@code sortKey} invokes this worker;
         * {@code flagged}: whether its new image holds a boolean attribute of that name.
         */
        public boolean wants(String eventName, String sortKey, java.util.function.Predicate<String> flagged) {
            return streamFilters.isEmpty() || streamFilters.stream().anyMatch(f -> f.matches(eventName, sortKey, flagged));
        }
    }

    /** The queues of DESIGN.md "Async work"; each worker's timeout is at most a sixth of its queue's visibility. */
    public static final List<Queue> QUEUES = List.of(
            // The webhook worker retries by re-sending with a growing DelaySeconds itself; receives only count crashes.
            new Queue("webhooks", "Webhook deliveries", 180, 5),
            // Messages carry DelaySeconds = ring timeout; the worker re-checks the call, so a retry is harmless.
            new Queue("ring-timeouts", "Call ring timeouts", 180, 3),
            new Queue("push", "Push notifications", 180, 5),
            new Queue("fan-out", "Big-room fan-out", 180, 3));

    public static final List<Worker> WORKERS = List.of(
            // The outbox: committed writes in, webhook deliveries and push jobs out.
            Worker.tableStream("event-router", "dev.sendsar.webhooks.EventRouterFunction", 30, 100, EVENT_RECORDS),
            // One attempt per message, the batch's POSTs at once (each at most 5 s).
            // 50 at once: a tenant whose receiver never answers holds a slot for 5 s per delivery, and every other
            // tenant's events wait for a free slot (WebhooksTest: 20 such deliveries in flight must not hold up another's)
            Worker.sqs("webhook-delivery", "dev.sendsar.webhooks.WebhookDeliveryFunction", "webhooks", 30, 10, 50),
            // Push jobs -> FCM, APNs, OneSignal, Web Push; a job's transient failures come back as a delayed job.
            Worker.sqs("push-sender", "dev.sendsar.push.PushWorker", "push", 30, 10, 5),
            // A 1:1 call's ring timeout (and a finished call's clean-up retry): re-checks the call, so retries are harmless.
            Worker.sqs("call-ring-timeouts", "dev.sendsar.calls.RingTimeoutWorker", "ring-timeouts", 30, 10, 2),
            // A big room's new message beyond its first 100 members: one frame for 100 users per message, the batch's
            // messages at once; a failed connection read comes back, a failed post does not (clients recover by seq).
            Worker.sqs("fan-out", "dev.sendsar.realtime.FanOutWorker", "fan-out", 30, 10, 20));

    public static final List<HttpRoute> HTTP = List.of(
            // operator
            new HttpRoute("POST", "/v1/admin/tenants", "admin-create-tenant"),
            new HttpRoute("POST", "/v1/admin/tenants/{tenantId}/api-keys", "admin-issue-api-key"),
            new HttpRoute("DELETE", "/v1/admin/tenants/{tenantId}/api-keys/{keyId}", "admin-revoke-api-key"),
            // users and sessions
            new HttpRoute("POST", "/v1/users", "upsert-user"),
            new HttpRoute("GET", "/v1/users/{userId}", "get-user"),
            // the literal "me" routes come first: API Gateway, like this table, prefers them over {userId}
            new HttpRoute("POST", "/v1/users/me/device-tokens", "register-own-device-token"),
            new HttpRoute("DELETE", "/v1/users/me/device-tokens/{token}", "unregister-own-device-token"),
            new HttpRoute("POST", "/v1/users/{userId}/device-tokens", "register-device-token"),
            new HttpRoute("POST", "/v1/auth/token", "mint-token"),
            new HttpRoute("GET", "/v1/auth/jwks.json", "jwks"),
            new HttpRoute("GET", "/v1/realtime", "realtime-info"),
            // rooms
            new HttpRoute("POST", "/v1/chat/rooms", "create-room"),
            new HttpRoute("GET", "/v1/chat/rooms", "list-rooms"),
            new HttpRoute("GET", "/v1/chat/rooms/{roomId}", "get-room"),
            new HttpRoute("PATCH", "/v1/chat/rooms/{roomId}", "update-room"),
            new HttpRoute("POST", "/v1/chat/rooms/{roomId}/participants", "add-participant"),
            new HttpRoute("PATCH", "/v1/chat/rooms/{roomId}/participants/{userId}", "change-participant-role"),
            new HttpRoute("DELETE", "/v1/chat/rooms/{roomId}/participants/{userId}", "remove-participant"),
            new HttpRoute("DELETE", "/v1/chat/rooms/{roomId}/for-me", "delete-room-for-me"),
            new HttpRoute("POST", "/v1/chat/rooms/{roomId}/clear-history", "clear-history"),
            new HttpRoute("POST", "/v1/chat/rooms/{roomId}/read", "mark-read"),
            new HttpRoute("POST", "/v1/chat/rooms/{roomId}/delivery", "mark-delivered"),
            new HttpRoute("PUT", "/v1/chat/rooms/{roomId}/mute", "mute-room"),
            new HttpRoute("DELETE", "/v1/chat/rooms/{roomId}/mute", "unmute-room"),
            // messages
            new HttpRoute("POST", "/v1/chat/rooms/{roomId}/messages", "send-message"),
            new HttpRoute("GET", "/v1/chat/rooms/{roomId}/messages", "list-messages"),
            new HttpRoute("PATCH", "/v1/chat/rooms/{roomId}/messages/{messageId}", "edit-message"),
            new HttpRoute("DELETE", "/v1/chat/rooms/{roomId}/messages/{messageId}", "delete-message"),
            new HttpRoute("POST", "/v1/chat/rooms/{roomId}/messages/{messageId}/reactions", "toggle-reaction"),
            new HttpRoute("POST", "/v1/chat/rooms/{roomId}/messages/{messageId}/pin", "pin-message"),
            new HttpRoute("DELETE", "/v1/chat/rooms/{roomId}/messages/{messageId}/pin", "unpin-message"),
            new HttpRoute("GET", "/v1/chat/rooms/{roomId}/pinned-messages", "list-pinned-messages"),
            new HttpRoute("POST", "/v1/chat/rooms/{roomId}/messages/{messageId}/forward", "forward-message"),
            new HttpRoute("GET", "/v1/sync", "sync"),
            // tenant settings, rate limits and media uploads
            new HttpRoute("GET", "/v1/tenant/settings", "get-tenant-settings"),
            new HttpRoute("PATCH", "/v1/tenant/settings", "patch-tenant-settings"),
            new HttpRoute("POST", "/v1/chat/uploads/presign", "presign-upload"),
            new HttpRoute("POST", "/v1/chat/uploads/{uploadId}/complete", "complete-upload"),
            new HttpRoute("DELETE", "/v1/chat/uploads/{uploadId}", "abort-upload"),
            new HttpRoute("GET", "/v1/chat/uploads/{uploadId}/access", "upload-access"),
            new HttpRoute("POST", "/v1/chat/uploads/access", "upload-access-batch"),
            // tenant webhooks
            new HttpRoute("GET", "/v1/tenant/webhook", "get-webhook"),
            new HttpRoute("PUT", "/v1/tenant/webhook", "put-webhook"),
            new HttpRoute("POST", "/v1/tenant/webhook/rotate-secret", "rotate-webhook-secret"),
            new HttpRoute("POST", "/v1/tenant/webhook/test", "test-webhook"),
            new HttpRoute("GET", "/v1/tenant/webhook/deliveries", "list-webhook-deliveries"),
            new HttpRoute("POST", "/v1/tenant/webhook/deliveries/{eventId}/replay", "replay-webhook-delivery"),
            // calls
            new HttpRoute("GET", "/v1/chat/rooms/{roomId}/calls/active", "get-active-call"),
            new HttpRoute("POST", "/v1/chat/rooms/{roomId}/calls", "start-call"),
            new HttpRoute("POST", "/v1/chat/rooms/{roomId}/calls/{callId}/accept", "accept-call"),
            new HttpRoute("POST", "/v1/chat/rooms/{roomId}/calls/{callId}/decline", "decline-call"),
            new HttpRoute("POST", "/v1/chat/rooms/{roomId}/calls/{callId}/end", "end-call"),
            new HttpRoute("POST", "/v1/chat/rooms/{roomId}/calls/{callId}/leave", "leave-call"),
            new HttpRoute("POST", "/v1/chat/rooms/{roomId}/calls/{callId}/token", "refresh-call-token"),
            new HttpRoute("POST", "/v1/livekit/webhook", "livekit-webhook")
            // API reference
    );

    public static final List<WsRoute> WEBSOCKET = List.of(
            new WsRoute("$connect", "ws-connect", CONNECT_HANDLER),
            new WsRoute("$disconnect", "ws-disconnect", DISCONNECT_HANDLER),
            new WsRoute("hello", "ws-hello", ACTION_HANDLER),
            new WsRoute("join-room", "ws-join-room", ACTION_HANDLER),
            new WsRoute("leave-room", "ws-leave-room", ACTION_HANDLER),
            new WsRoute("ping", "ws-ping", ACTION_HANDLER),
            new WsRoute("typing", "ws-typing", ACTION_HANDLER),
            new WsRoute("$default", "ws-default", ACTION_HANDLER));

    private RouteTable() {
    }

    /** The route API Gateway would pick for this request, with its path parameters; empty means {@code $default}. */
    public static Optional<Match> match(String method, String path) {
        for (HttpRoute route : HTTP) {
            if (!route.method().equals(method)) {
                continue;
            }
            Map<String, String> params = matchPath(route.path(), path);
            if (params != null) {
                return Optional.of(new Match(route, params));
            }
        }
        return Optional.empty();
    }

    public static Optional<WsRoute> websocket(String routeKey) {
        return WEBSOCKET.stream().filter(r -> r.routeKey().equals(routeKey)).findFirst();
    }

    public static Queue queue(String name) {
        return QUEUES.stream().filter(q -> q.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No queue named " + name + " in RouteTable.QUEUES"));
    }

    /** The queue whose name or dead-letter queue's name this is (producers may send to either). */
    public static Queue queueOrItsDeadLetters(String name) {
        return QUEUES.stream().filter(q -> q.name().equals(name) || q.deadLetterName().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No queue or dead-letter queue named " + name));
    }

    private static Map<String, String> matchPath(String template, String path) {
        String[] t = template.split("/", -1);
        String[] p = path.split("/", -1);
        if (t.length != p.length) {
            return null;
        }
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < t.length; i++) {
            if (t[i].startsWith("{") && t[i].endsWith("}")) {
                if (p[i].isEmpty()) {
                    return null;
                }
                params.put(t[i].substring(1, t[i].length() - 1), java.net.URLDecoder.decode(p[i], java.nio.charset.StandardCharsets.UTF_8));
            } else if (!t[i].equals(p[i])) {
                return null;
            }
        }
        return params;
    }
}
