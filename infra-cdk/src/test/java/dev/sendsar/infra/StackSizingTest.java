package dev.sendsar.infra;

import dev.sendsar.routes.RouteTable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A route table three times today's: every route again under two more prefixes, with the same grants. The stack must
 * absorb it by adding nested stacks, every template under CloudFormation's 500 resources.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StackSizingTest {
    private static final int COPIES = 3;
    private RouteSet routes;
    private StackTemplates large;
    private StackTemplates today;

    @BeforeAll
    void synth() {
        List<RouteTable.HttpRoute> http = new ArrayList<>(RouteTable.HTTP);
        List<RouteTable.WsRoute> webSocket = new ArrayList<>(RouteTable.WEBSOCKET);
        for (int copy = 2; copy <= COPIES; copy++) {
            String suffix = "-x" + copy;
            for (RouteTable.HttpRoute r : RouteTable.HTTP) {
                http.add(new RouteTable.HttpRoute(r.method(), "/x" + copy + r.path(), r.name() + suffix));
            }
            for (RouteTable.WsRoute r : RouteTable.WEBSOCKET) {
                webSocket.add(new RouteTable.WsRoute(r.routeKey().replace("$", "") + suffix, r.name() + suffix, r.handler()));
            }
        }
        routes = new RouteSet(http, webSocket, RouteTable.WORKERS, name -> RouteAccessTable.of(name.replaceAll("-x[0-9]+$", "")));
        large = new StackTemplates(TestApps.stack(routes));
        today = TestApps.Default.TEMPLATES;
    }

    @Test
    void aLargerRouteTableAddsNestedStacks_eachUnderTheLimit() {
        // the API routes are copied; the workers are not
        int workers = RouteTable.WORKERS.size();
        assertEquals(COPIES * (RouteAccessTable.routeNames().size() - workers) + workers, routes.size());
        assertEquals(routes.size(), large.findResources("AWS::Lambda::Function").size());
        assertEquals(chunks(routes.http().size()) + chunks(routes.webSocket().size()) + chunks(routes.workers().size()),
                large.nested().size());
        assertTrue(large.nested().size() > today.nested().size(), large.nested().size() + " nested stacks");
        for (RouteStack nested : large.nested()) {
            int functions = large.findResourcesIn(nested, "AWS::Lambda::Function").size();
            assertTrue(functions <= RouteStack.ROUTES_PER_STACK, nested.getNode().getPath() + ": " + functions);
            int resources = large.resourceCount(nested);
            assertTrue(resources <= RouteStack.ROUTES_PER_STACK * RouteStack.RESOURCES_PER_ROUTE + 1,
                    nested.getNode().getPath() + ": " + resources + " resources");
        }
        int parent = large.resourceCount(large.stack);
        assertTrue(parent < 500, "parent: " + parent + " resources");
    }

    @Test
    void theParentGrowsByTwoResourcesPerRoute_andOnePerNestedStack() {
        // workers add nothing to the parent: their event sources sit beside them
        int addedRoutes = routes.size() - routes.workers().size() - (RouteTable.HTTP.size() + RouteTable.WEBSOCKET.size());
        int addedStacks = large.nested().size() - today.nested().size();
        int parentToday = today.resourceCount(today.stack);
        assertEquals(parentToday + 2 * addedRoutes + addedStacks, large.resourceCount(large.stack));
        // What the parent holds besides routes: with 2 per route and 1 per 20 routes, it fits ~ 200 routes more.
        int fixed = parentToday - 2 * (RouteTable.HTTP.size() + RouteTable.WEBSOCKET.size() + 1) - today.nested().size();
        int capacity = (int) ((500 - fixed) / (2 + 1.0 / RouteStack.ROUTES_PER_STACK)) - 1;
        // with calls and webhooks the table has 64 functions: the parent still has room for 3x as many
        assertTrue(capacity >= 3 * RouteAccessTable.routeNames().size(),
                "the parent fits " + capacity + " routes, " + RouteAccessTable.routeNames().size() + " today");
        System.out.printf("Resources: parent %d today (%d with %d routes); nested %s; parent fits about %d routes%n",
                parentToday, large.resourceCount(large.stack), routes.size(),
                today.nested().stream().map(n -> n.getNode().getPath() + "=" + today.resourceCount(n)).toList(), capacity);
    }

    private static int chunks(int routes) {
        return (routes + RouteStack.ROUTES_PER_STACK - 1) / RouteStack.ROUTES_PER_STACK;
    }
}
