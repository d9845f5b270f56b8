package dev.sendsar.functions.snapstart;

import dev.sendsar.auth.SessionTokenSigner;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SnapStartPrimingTest {

    @Test
    void everyFunctionContext_primesTheHotPathsWithoutAnyNetwork() {
        // no emulator runs here: priming that reached DynamoDB, the database or API Gateway would fail
        try (ApplicationContext context = ApplicationContext.run(Map.of("sendsar.jwt-public-keys", SessionTokenSigner.publicKeysOf(SessionTokenSigner.generateKeySet()),
                "sendsar.dynamodb-endpoint", "http://127.0.0.1:9", "sendsar.ws-callback-url", "http://127.0.0.1:9",
                "datasources.default.url", "jdbc:postgresql://127.0.0.1:9/none"))) {
            assertTrue(context.containsBean(SnapStartPriming.class));
            SnapStartPriming priming = context.getBean(SnapStartPriming.class);
            assertEquals(SnapStartPriming.ROUNDS, priming.prime());
            // AWS clients are built on first use; the snapshot holds the @connections client a send posts through
            assertTrue(context.getActiveBeanRegistrations(ApiGatewayManagementApiClient.class).isEmpty());
            priming.beforeCheckpoint(null);
            assertEquals(1, context.getActiveBeanRegistrations(ApiGatewayManagementApiClient.class).size());
        }
    }

    @Test
    void priming_canBeSwitchedOff() {
        try (ApplicationContext context = ApplicationContext.run(Map.of("sendsar.jwt-public-keys", SessionTokenSigner.publicKeysOf(SessionTokenSigner.generateKeySet()),
                "sendsar.snapstart-priming", "false"))) {
            assertTrue(!context.containsBean(SnapStartPriming.class));
        }
    }
}
