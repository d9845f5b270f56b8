package dev.sendsar.infra;

import java.util.EnumSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one route's function may touch. IAM grants are built from this and nothing else, so a function that starts
 * using a new table action fails with AccessDenied in AWS until its entry in {@link RouteAccessTable} says so.
 *
 * @param table        DynamoDB item actions on the table (a transaction needs the item actions it contains)
 * @param indexes      secondary indexes (TableKeys constants) the function queries
 * @param connections  whether it posts to WebSocket connections through {@code @connections}
 * @param controlPlane how it reaches the control-plane database
 * @param operatorKey  whether it sees the operator key (only /v1/admin routes)
 */
public record RouteAccess(Set<TableAction> table, Set<String> indexes, boolean connections,
                          ControlPlane controlPlane, boolean operatorKey) {

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

    /** Aurora DSQL access: none, a least-privilege database role, or the cluster's admin role. */
    public enum ControlPlane {
        NONE(null, null),
        /** Reads API keys and tenants as the {@code sendsar} database role (mapped to the function's IAM role). */
        APP("dsql:DbConnect", "sendsar"),
        /** Creates tenants and keys, and the schema on first use, as DSQL's built-in {@code admin} role. */
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
        if (!indexes.isEmpty() && !table.contains(TableAction.QUERY)) {
            throw new IllegalArgumentException("Index access " + indexes + " without QUERY makes no sense");
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

    public boolean usesTable() {
        return !table.isEmpty();
    }

    public static final class Builder {
        private final Set<TableAction> table = EnumSet.noneOf(TableAction.class);
        private final Set<String> indexes = new TreeSet<>();
        private boolean connections;
        private ControlPlane controlPlane = ControlPlane.NONE;
        private boolean operatorKey;

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

        public Builder controlPlane(ControlPlane controlPlane) {
            this.controlPlane = controlPlane;
            return this;
        }

        public Builder operatorKey() {
            this.operatorKey = true;
            return this;
        }

        public RouteAccess build() {
            return new RouteAccess(table, indexes, connections, controlPlane, operatorKey);
        }
    }
}
