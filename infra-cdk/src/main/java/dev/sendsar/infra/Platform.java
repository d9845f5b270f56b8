package dev.sendsar.infra;

import software.amazon.awscdk.services.apigatewayv2.WebSocketStage;
import software.amazon.awscdk.services.lambda.Code;

import java.util.Map;

/**
 * What route functions are built against: the shared code package, the resources they may be granted, and the
 * environment every one of them gets.
 */
public record Platform(Code code, DeploymentSettings settings, DataTable table, UploadsBucket uploads,
                       ControlPlaneCluster controlPlane,
                       PlatformSecrets secrets, WebSocketStage webSocketStage, AlarmTopic alarms,
                       Map<String, String> commonEnvironment) {
    public Platform {
        commonEnvironment = Map.copyOf(commonEnvironment);
    }
}
