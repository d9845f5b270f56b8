package dev.sendsar.infra;

import dev.sendsar.routes.RouteTable;

import java.util.List;
import java.util.function.Function;

/**
 * The routes a stack deploys and their grants: {@link RouteTable} and {@link RouteAccessTable} in every real deploy;
 * tests pass a larger set to check the stack keeps growing by nested stacks.
 */
public record RouteSet(List<RouteTable.HttpRoute> http, List<RouteTable.WsRoute> webSocket,
                       Function<String, RouteAccess> access) {
    public RouteSet {
        http = List.copyOf(http);
        webSocket = List.copyOf(webSocket);
    }

    public static RouteSet table() {
        return new RouteSet(RouteTable.HTTP, RouteTable.WEBSOCKET, RouteAccessTable::of);
    }

    public int size() {
        return http.size() + webSocket.size();
    }
}
