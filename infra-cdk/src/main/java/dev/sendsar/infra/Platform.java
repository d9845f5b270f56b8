package dev.sendsar.infra;

import software.amazon.awscdk.services.apigatewayv2.WebSocketStage;
import software.amazon.awscdk.services.lambda.AssetCode;

import java.util.Map;

/**
 * What route functions are built against: the shared code package, the resources they may be granted, and the
 * environment every one of them gets.
 */
public record Platform(AssetCode code, DeploymentSettings settings, DataTable table, UploadsBucket uploads,
                       ControlPlaneCluster controlPlane,
                       PlatformSecrets secrets, WebSocketStage webSocketStage, WorkQueues queues, AlarmTopic alarms,
                       Map<String, String> commonEnvironment) {
    public Platform {
        commonEnvironment = Map.copyOf(commonEnvironment);
    }

    /** The same platform with another handle on the code package (an asset belongs to one stack). */
    public Platform withCode(AssetCode code) {
        return new Platform(code, settings, table, uploads, controlPlane, secrets, webSocketStage, queues, alarms, commonEnvironment);
    }
}
