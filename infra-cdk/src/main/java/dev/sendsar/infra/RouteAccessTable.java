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

    private static final Map<String, RouteAccess> ACCESS = Map.ofEntries(
            Map.entry("admin-create-tenant", RouteAccess.builder().controlPlane(ADMIN).operatorKey().build()),
            Map.entry("admin-issue-api-key", RouteAccess.builder().controlPlane(ADMIN).operatorKey().build()),
            Map.entry("admin-revoke-api-key", RouteAccess.builder().controlPlane(ADMIN).operatorKey().build()),
            Map.entry("upsert-user", RouteAccess.builder().controlPlane(APP).table(UPDATE_ITEM).build()),
            Map.entry("get-user", RouteAccess.builder().controlPlane(APP).table(GET_ITEM).build()),
            Map.entry("mint-token", RouteAccess.builder().controlPlane(APP).table(GET_ITEM, UPDATE_ITEM).build()),
            // Public keys and the WebSocket URL: no caller, no data.
            Map.entry("jwks", RouteAccess.builder().build()),
            Map.entry("realtime-info", RouteAccess.builder().build()),
            // Participants are upserted as users, then one transaction puts room, members and external id.
            Map.entry("create-room", RouteAccess.builder().controlPlane(APP).table(GET_ITEM, UPDATE_ITEM, PUT_ITEM).build()),
            Map.entry("list-rooms", RouteAccess.builder().controlPlane(APP).table(GET_ITEM, BATCH_GET_ITEM, QUERY)
                    .queriesIndex(TableKeys.GSI1).build()),
            Map.entry("get-room", RouteAccess.builder().controlPlane(APP).table(GET_ITEM, QUERY).build()),
            // Transaction (update room, put message and idempotency item), fan-out over GSI2, 410s delete connections.
            Map.entry("send-message", RouteAccess.builder().controlPlane(APP)
                    .table(GET_ITEM, QUERY, PUT_ITEM, UPDATE_ITEM, DELETE_ITEM).queriesIndex(TableKeys.GSI2)
                    .postsToConnections().build()),
            Map.entry("list-messages", RouteAccess.builder().controlPlane(APP).table(GET_ITEM, QUERY).build()),

            // $connect checks the token's tenant is active, then writes the connection; it never posts.
            Map.entry("ws-connect", RouteAccess.builder().controlPlane(APP).table(PUT_ITEM).build()),
            Map.entry("ws-disconnect", RouteAccess.builder().table(DELETE_ITEM).build()),
            // Every action answers over @connections; a 410 on that answer deletes the connection item.
            Map.entry("ws-hello", RouteAccess.builder().table(GET_ITEM, BATCH_GET_ITEM, QUERY, DELETE_ITEM)
                    .queriesIndex(TableKeys.GSI1).postsToConnections().build()),
            Map.entry("ws-join-room", RouteAccess.builder().table(GET_ITEM, UPDATE_ITEM, DELETE_ITEM).postsToConnections().build()),
            Map.entry("ws-leave-room", RouteAccess.builder().table(GET_ITEM, UPDATE_ITEM, DELETE_ITEM).postsToConnections().build()),
            Map.entry("ws-ping", RouteAccess.builder().table(DELETE_ITEM).postsToConnections().build()),
            Map.entry("ws-default", RouteAccess.builder().table(DELETE_ITEM).postsToConnections().build()));

    private RouteAccessTable() {
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
        if (of(HTTP_FALLBACK_ROUTE).usesTable() || of(HTTP_FALLBACK_ROUTE).controlPlane() != RouteAccess.ControlPlane.NONE) {
            throw new IllegalStateException("The $default fallback must be a function without data access");
        }
    }

    /** Every function name of the route table, HTTP and WebSocket. */
    public static Set<String> routeNames() {
        return Stream.concat(RouteTable.HTTP.stream().map(RouteTable.HttpRoute::name),
                RouteTable.WEBSOCKET.stream().map(RouteTable.WsRoute::name)).collect(Collectors.toCollection(TreeSet::new));
    }
}
