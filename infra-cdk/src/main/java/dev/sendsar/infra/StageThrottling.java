package dev.sendsar.infra;

import software.amazon.awscdk.services.apigatewayv2.CfnStage;
import software.constructs.IConstruct;

/** The stage-wide throttle of an API: every route of the stage shares it (see {@link DeploymentSettings.Throttle}). */
public final class StageThrottling {
    private StageThrottling() {
    }

    /** Sets the default route throttle of the stage whose L1 resource is {@code stage}'s default child. */
    public static void apply(IConstruct stage, DeploymentSettings.Throttle throttle) {
        ((CfnStage) stage.getNode().getDefaultChild()).setDefaultRouteSettings(CfnStage.RouteSettingsProperty.builder()
                .throttlingRateLimit(throttle.ratePerSecond())
                .throttlingBurstLimit(throttle.burst())
                .build());
    }
}
