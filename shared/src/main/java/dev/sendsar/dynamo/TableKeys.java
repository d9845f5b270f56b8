package dev.sendsar.dynamo;

/**
 * Every key of the single DynamoDB table, in one place for the runtime, the tests and the CDK stack.
 * Tenant ids prefix every tenant-owned key, so no key of one tenant can ever address another's item.
 */
public final class TableKeys {
    public static final String PK = "PK";
    public static final String SK = "SK";
    /** A user's memberships (sorted by when they joined; room lists sort by activity on read). */
    public static final String GSI1 = "GSI1";
    public static final String GSI1_PK = "GSI1PK";
    public static final String GSI1_SK = "GSI1SK";
    /** Epoch seconds after which an item is dead; DynamoDB TTL deletes it eventually, reads filter at once. */
    public static final String TTL = "ttl";
    /**
     * The attributes GSI1 holds besides the keys: what presence reads of a connection, all of them written once when
     * the connection opens (and the TTL when a client frame extends it). A write that changes none of them nor a GSI1
     * key does not write the index, so a member's cursor move, role or mute costs one write unit, not two; room
     * lists read member items by key instead (docs/decisions.md, Rooms).
     */
    public static final java.util.List<String> GSI1_INCLUDES = java.util.List.of("connectionId", "tenantId", "userId",
            "connectedAt", TTL);

    public static final String PROFILE = "PROFILE";
    public static final String META = "META";
    /**
     * The room's member ids, beside its {@link #META} item: a send writes the room item, and a write is billed by
     * the item's size, so the list that grows with the room lives apart. "MEMBERS" sorts right before "META" (and
     * after every "M#" member item), so one query reads both.
     */
    public static final String MEMBERS = "MEMBERS";
    public static final String ROOM = "ROOM";
    public static final String CONN = "CONN";
    /** A user's set of open connection ids, under the user: a fan-out reads 100 users' sets in one batch. */
    public static final String CONNS = "CONNS";

    private TableKeys() {
    }

    public static String user(String tenantId, String userId) {
        return "T#" + tenantId + "#U#" + userId;
    }

    public static String room(String tenantId, String roomId) {
        return "T#" + tenantId + "#R#" + roomId;
    }

    public static String member(String userId) {
        return "M#" + userId;
    }

    public static final String MEMBER_PREFIX = "M#";

    public static String message(long seq) {
        return String.format("S#%012d", seq);
    }

    /** Marks a pinned message: the pinned list is one query. */
    public static String pin(long seq) {
        return String.format("P#%012d", seq);
    }

    public static final String PIN_PREFIX = "P#";

    public static String clientMessage(String senderId, String clientMessageId) {
        return "C#" + senderId + "#" + clientMessageId;
    }

    public static String activity(String activityAt, String roomId) {
        return "A#" + activityAt + "#R#" + roomId;
    }

    public static String externalId(String tenantId, String externalId) {
        return "T#" + tenantId + "#X#" + externalId;
    }

    /** A user's push token, under the user's partition. */
    public static String deviceToken(String tokenId) {
        return "DEV#" + tokenId;
    }

    public static final String DEVICE_TOKEN_PREFIX = "DEV#";

    /** GSI1 partition of a tenant's open connections, for presence. */
    public static String online(String tenantId) {
        return "T#" + tenantId + "#ONLINE";
    }

    public static String connection(String connectionId) {
        return "C#" + connectionId;
    }

    /** A user's counter of one rate-limited action in the one-minute window starting at {@code windowStart}. */
    public static String rateLimit(String action, long windowStart) {
        return "RL#" + action + "#" + windowStart;
    }

    /** An upload's metadata item: its object key and status, and the rooms it was sent to. */
    public static String upload(String tenantId, String uploadId) {
        return "T#" + tenantId + "#UP#" + uploadId;
    }

    public static final String UPLOAD = "UPLOAD";

    /** A push delivered to one device token for one message, under the room: a retried job skips it. */
    public static String pushDelivery(String messageId, String tokenId) {
        return "PUSH#" + messageId + "#" + tokenId;
    }

    /** Sort-key prefix of message items ({@link #message}): the push router picks new ones off the stream by it. */
    public static final String MESSAGE_PREFIX = "S#";

    /**
     * A boolean attribute of a new message item: its send posted it to every recipient's socket and no webhook wants
     * it, so its stream record invokes no event router (RouteTable#EVENT_RECORDS). Never read back.
     */
    public static final String QUIET = "quiet";

    /** A call, under its room (SK); its state changes only by condition on its {@code version}. */
    public static String call(String callId) {
        return CALL_PREFIX + callId;
    }

    public static final String CALL_PREFIX = "CALL#";

    /** The room's one call that is not over (SK under the room): points at the call by id. */
    public static final String ACTIVE_CALL = "ACTIVECALL";

    /** A LiveKit room of a call that is not over, so LiveKit's webhooks (which name only the room) find the call. */
    public static String mediaRoom(String livekitRoomName) {
        return "LK#" + livekitRoomName;
    }

    public static final String CALL = "CALL";
}
