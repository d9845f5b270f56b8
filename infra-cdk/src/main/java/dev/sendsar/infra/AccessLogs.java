package dev.sendsar.infra;

import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.apigatewayv2.CfnStage;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * One JSON line per request or frame from API Gateway itself: route, status, latency, errors. It logs the route key,
 * never the raw path or query, which can carry a device token or a session token.
 */
public final class AccessLogs {
    static final String FORMAT = "{\"requestId\":\"$context.requestId\",\"time\":\"$context.requestTime\","
            + "\"routeKey\":\"$context.routeKey\",\"status\":\"$context.status\","
            + "\"latencyMs\":\"$context.integrationLatency\",\"sourceIp\":\"$context.identity.sourceIp\","
            + "\"connectionId\":\"$context.connectionId\",\"error\":\"$context.error.message\","
            + "\"integrationError\":\"$context.integrationErrorMessage\"}";

    private AccessLogs() {
    }

    /** Turns on access logging for the stage whose L1 resource is {@code stage}'s default child. */
    public static void enable(Construct scope, IConstruct stage, RetentionDays retention) {
        LogGroup logs = LogGroup.Builder.create(scope, "AccessLogs")
                .retention(retention)
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        ((CfnStage) stage.getNode().getDefaultChild()).setAccessLogSettings(CfnStage.AccessLogSettingsProperty.builder()
                .destinationArn(logs.getLogGroupArn())
                .format(FORMAT)
                .build());
    }
}
