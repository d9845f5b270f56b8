package dev.sendsar.functions.snapstart;

import dev.sendsar.auth.SessionTokenSigner;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SnapStartPrimingTest {

    @Test
    void everyFunctionContext_primesTheHotPathsWithoutAnyNetwork() {
        // no emulator runs here: priming that reached DynamoDB, the database or API Gateway would fail
        try (ApplicationContext context = ApplicationContext.run(Map.of("sendsar.jwt-public-keys", SessionTokenSigner.publicKeysOf(SessionTokenSigner.generateKeySet()),
                "sendsar.dynamodb-endpoint", "http://127.0.0.1:9", "datasources.default.url", "jdbc:postgresql://127.0.0.1:9/none"))) {
            assertTrue(context.containsBean(SnapStartPriming.class));
            assertEquals(SnapStartPriming.ROUNDS, context.getBean(SnapStartPriming.class).prime());
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
