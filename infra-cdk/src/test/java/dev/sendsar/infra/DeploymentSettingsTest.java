package dev.sendsar.infra;

import org.junit.jupiter.api.Test;
import software.amazon.awscdk.services.logs.RetentionDays;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeploymentSettingsTest {

    @Test
    void contextOverridesMemoryPerRoute_andReservedConcurrency() {
        DeploymentSettings s = DeploymentSettings.fromContext(TestApps.app(Map.of(
                "memoryMb", "1536", "memoryMb.send-message", "2048", "reservedConcurrency.ws-connect", "50",
                "logRetentionDays", "7", "corsOrigins", "https://app.example.com, https://admin.example.com")).getNode());
        assertEquals(2048, s.memoryOf("send-message"));
        assertEquals(1536, s.memoryOf("get-user"));
        assertEquals(50, s.reservedConcurrencyOf("ws-connect").orElseThrow());
        assertTrue(s.reservedConcurrencyOf("get-user").isEmpty());
        assertEquals(RetentionDays.ONE_WEEK, s.logRetention());
        assertEquals(2, s.corsOrigins().size());
    }

    @Test
    void throttlesOfBothApisComeFromContext() {
        DeploymentSettings s = DeploymentSettings.fromContext(TestApps.app(Map.of(
                "httpThrottleRate", "300", "wsThrottleBurst", "50")).getNode());
        assertEquals(new DeploymentSettings.Throttle(300, 2_000), s.httpThrottle());
        assertEquals(new DeploymentSettings.Throttle(500, 50), s.webSocketThrottle());
        assertThrows(IllegalArgumentException.class, () -> DeploymentSettings.fromContext(TestApps.app(Map.of("wsThrottleBurst", "0")).getNode()));
    }

    @Test
    void typosFailTheSynthInsteadOfDeploying() {
        assertThrows(IllegalArgumentException.class, () -> DeploymentSettings.fromContext(TestApps.app(Map.of("memoryMb", "128")).getNode()));
        assertThrows(IllegalArgumentException.class, () -> DeploymentSettings.fromContext(TestApps.app(Map.of("logRetentionDays", "31")).getNode()));
        assertThrows(IllegalArgumentException.class, () -> DeploymentSettings.fromContext(TestApps.app(Map.of("apiDomainName", "api.example.com")).getNode()));
    }

    @Test
    void aDeployRefusesToShipThePlaceholderCode() {
        DeploymentSettings s = DeploymentSettings.fromContext(TestApps.app(Map.of("requireLambdaJar", "true")).getNode());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> LambdaCode.resolve(new software.amazon.awscdk.Stack(TestApps.app(Map.of()), "Code"), s));
        assertTrue(e.getMessage().contains("-Plambda"), e.getMessage());
    }
}
