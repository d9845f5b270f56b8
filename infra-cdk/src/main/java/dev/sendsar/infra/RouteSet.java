package dev.sendsar.infra;

import dev.sendsar.routes.RouteTable;

import java.util.List;
import java.util.function.Function;

/**
 * The functions a stack deploys (routes and workers) and their grants: {@link RouteTable} and
 * {@link RouteAccessTable} in every real deploy; tests pass other sets to check how the stack grows and wires workers.
 */
public record RouteSet(List<RouteTable.HttpRoute> http, List<RouteTable.WsRoute> webSocket,
                       List<RouteTable.Worker> workers, Function<String, RouteAccess> access) {
    public RouteSet {
        http = List.copyOf(http);
        webSocket = List.copyOf(webSocket);
        workers = List.copyOf(workers);
    }

    public static RouteSet table() {
        return new RouteSet(RouteTable.HTTP, RouteTable.WEBSOCKET, RouteTable.WORKERS, RouteAccessTable::of);
    }

    /** Functions in all: one per route and one per worker. */
    public int size() {
        return http.size() + webSocket.size() + workers.size();
    }
}
