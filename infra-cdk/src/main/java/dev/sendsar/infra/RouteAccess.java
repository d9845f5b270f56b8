package dev.sendsar.infra;

import java.util.EnumSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one route's function may touch. IAM grants are built from this and nothing else, so a function that starts
 * using a new table action fails with AccessDenied in AWS until its entry in {@link RouteAccessTable} says so.
 *
 * @param table        DynamoDB actions on the table itself (a transaction needs the item actions it contains;
 *                     {@code QUERY} here is a query on the table's own keys)
 * @param indexes      secondary indexes (TableKeys constants) the function queries: {@code dynamodb:Query} on
 *                     exactly those index ARNs, nothing else
 * @param connections  whether it posts to WebSocket connections through {@code @connections}
 * @param uploads      what it does with objects of the uploads bucket (presigning counts: S3 checks a presigned
 *                     URL against the permissions of the role that signed it)
 * @param controlPlane how it reaches the control-plane database
 * @param operatorKey  whether it sees the operator key (only /v1/admin routes)
 * @param sendsTo      the work queues ({@code RouteTable.QUEUES} names, or their {@code -dlq} names) it sends messages
 *                     to: {@code sqs:SendMessage} on exactly those, and their URLs in its environment. Consuming needs
 *                     no entry: a worker's event source grants it.
 * @param liveKit      whether it sees the media server's URL and API key pair (only call functions)
 * @param webhookSecrets whether it reads or writes tenants' webhook signing secrets (it gets the key that encrypts them)
 * @param signingKey   whether it may read the private session-token signing keys (only the token-minting route);
 *                     every other function verifies tokens with the public keys of its environment
 * @param checksConnections whether it asks API Gateway if sockets are open ({@code GET @connections}) without
 *                     posting: {@code $connect} at a user's socket cap
 */
public record RouteAccess(Set<TableAction> table, Set<String> indexes, boolean connections, Set<ObjectAction> uploads,
                          ControlPlane controlPlane, boolean operatorKey, Set<String> sendsTo, boolean liveKit,
                          boolean webhookSecrets, boolean signingKey, boolean checksConnections) {

    /** DynamoDB item actions, by their IAM names. There is no Scan: no request path may scan. */
    public enum TableAction {
        GET_ITEM("dynamodb:GetItem"),
        BATCH_GET_ITEM("dynamodb:BatchGetItem"),
        QUERY("dynamodb:Query"),
        PUT_ITEM("dynamodb:PutItem"),
        UPDATE_ITEM("dynamodb:UpdateItem"),
        DELETE_ITEM("dynamodb:DeleteItem"),
        CONDITION_CHECK_ITEM("dynamodb:ConditionCheckItem");

        private final String iamAction;

        TableAction(String iamAction) {
            this.iamAction = iamAction;
        }

        public String iamAction() {
            return iamAction;
        }
    }

    /**
     * S3 actions on the uploads bucket. Object actions are granted on the objects under
     * {@link UploadsBucket#OBJECT_PREFIX} only; {@code LIST_BUCKET} is on the bucket.
     */
    public enum ObjectAction {
        /** Presigning an upload URL: the browser's PUT is authorized as the signing role. */
        PUT("s3:PutObject", false),
        /** HeadObject, and presigning download URLs. */
        GET("s3:GetObject", false),
        DELETE("s3:DeleteObject", false),
        /**
         * Only so that HeadObject on a key nobody uploaded answers 404 instead of 403: without s3:ListBucket S3 hides
         * whether a key exists. A prefix condition cannot narrow it, because HeadObject carries no {@code s3:prefix}.
         */
        LIST_BUCKET("s3:ListBucket", true);

        private final String iamAction;
        private final boolean onBucket;

        ObjectAction(String iamAction, boolean onBucket) {
            this.iamAction = iamAction;
            this.onBucket = onBucket;
        }

        public String iamAction() {
            return iamAction;
        }

        /** Whether the action applies to the bucket itself rather than to objects in it. */
        public boolean onBucket() {
            return onBucket;
        }
    }

    /** Aurora DSQL access: none, a least-privilege database role, or the cluster's admin role. */
    public enum ControlPlane {
        NONE(null, null),
        /** Reads API keys, tenants and settings as the {@code sendsar} database role (SELECT only). */
        APP("dsql:DbConnect", "sendsar"),
        /**
         * Reads like {@link #APP} and updates a tenant's settings, as the {@code sendsar_settings} database role
         * (SELECT, and UPDATE of tenants.settings).
         */
        SETTINGS("dsql:DbConnect", "sendsar_settings"),
        /** Creates tenants and keys as DSQL's built-in {@code admin} role. */
        ADMIN("dsql:DbConnectAdmin", "admin");

        private final String iamAction;
        private final String databaseRole;

        ControlPlane(String iamAction, String databaseRole) {
            this.iamAction = iamAction;
            this.databaseRole = databaseRole;
        }

        public String iamAction() {
            return iamAction;
        }

        public String databaseRole() {
            return databaseRole;
        }
    }

    public RouteAccess {
        table = Set.copyOf(table);
        indexes = Set.copyOf(new TreeSet<>(indexes));
        uploads = Set.copyOf(uploads);
        sendsTo = Set.copyOf(new TreeSet<>(sendsTo));
        sendsTo.forEach(dev.sendsar.routes.RouteTable::queueOrItsDeadLetters);
        if (indexes.stream().anyMatch(i -> i == null || i.isBlank())) {
            throw new IllegalArgumentException("Index names must not be blank");
        }
        if (controlPlane == null) {
            throw new IllegalArgumentException("controlPlane is required (use NONE)");
        }
        if (operatorKey && controlPlane != ControlPlane.ADMIN) {
            throw new IllegalArgumentException("Only control-plane admin routes may hold the operator key");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Whether the function touches the DynamoDB table or any of its indexes. */
    public boolean usesTable() {
        return !table.isEmpty() || !indexes.isEmpty();
    }

    public boolean usesUploads() {
        return !uploads.isEmpty();
    }

    public static final class Builder {
        private final Set<TableAction> table = EnumSet.noneOf(TableAction.class);
        private final Set<String> indexes = new TreeSet<>();
        private final Set<ObjectAction> uploads = EnumSet.noneOf(ObjectAction.class);
        private boolean connections;
        private ControlPlane controlPlane = ControlPlane.NONE;
        private boolean operatorKey;
        private final Set<String> sendsTo = new TreeSet<>();
        private boolean webhookSecrets;
        private boolean liveKit;
        private boolean signingKey;
        private boolean checksConnections;

        public Builder table(TableAction... actions) {
            table.addAll(Set.of(actions));
            return this;
        }

        public Builder queriesIndex(String indexName) {
            indexes.add(indexName);
            return this;
        }

        public Builder postsToConnections() {
            this.connections = true;
            return this;
        }

        /** Asks API Gateway whether sockets are still open (and so whether to forget them), never posting. */
        public Builder checksConnections() {
            this.checksConnections = true;
            return this;
        }

        public Builder uploads(ObjectAction... actions) {
            uploads.addAll(Set.of(actions));
            return this;
        }

        public Builder controlPlane(ControlPlane controlPlane) {
            this.controlPlane = controlPlane;
            return this;
        }

        /** Sends messages to the work queue of this {@code RouteTable.QUEUES} name. */
        public Builder sendsTo(String queue) {
            sendsTo.add(queue);
            return this;
        }

        public Builder webhookSecrets() {
            this.webhookSecrets = true;
            return this;
        }

        /** Sees LiveKit's URL and API key pair: call signaling, and what ends calls. */
        public Builder liveKit() {
            this.liveKit = true;
            return this;
        }

        public Builder operatorKey() {
            this.operatorKey = true;
            return this;
        }

        public Builder signingKey() {
            this.signingKey = true;
            return this;
        }

        public RouteAccess build() {
            return new RouteAccess(table, indexes, connections, uploads, controlPlane, operatorKey, sendsTo, liveKit,
                    webhookSecrets, signingKey, checksConnections);
        }
    }
}
