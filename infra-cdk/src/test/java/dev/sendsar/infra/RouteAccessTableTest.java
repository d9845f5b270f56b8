package dev.sendsar.infra;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RouteAccessTableTest {

    @Test
    void everyRouteOfTheRouteTableHasDecidedGrants() {
        assertDoesNotThrow(() -> RouteAccessTable.checkMatches(RouteAccessTable.routeNames()));
    }

    @Test
    void aNewRouteWithoutGrantsStopsTheSynth() {
        Set<String> withNewRoute = new HashSet<>(RouteAccessTable.routeNames());
        withNewRoute.add("delete-room");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> RouteAccessTable.checkMatches(withNewRoute));
        assertTrue(e.getMessage().contains("delete-room"), e.getMessage());
    }

    @Test
    void grantsForARemovedRouteStopTheSynth() {
        Set<String> withoutOne = new HashSet<>(RouteAccessTable.routeNames());
        withoutOne.remove("get-user");
        assertThrows(IllegalStateException.class, () -> RouteAccessTable.checkMatches(withoutOne));
    }
}
