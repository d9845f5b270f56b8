package dev.sendsar.infra;

import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;

/**
 * The CDK app ({@code cdk.json} runs it). Account and region come from the CLI's environment; the stack name from
 * context {@code stackName} (default {@code Sendsar}), so several stages can live in one account.
 */
public final class SendsarApp {
    private SendsarApp() {
    }

    public static void main(String[] args) {
        App app = new App();
        String stackName = String.valueOf(java.util.Objects.requireNonNullElse(app.getNode().tryGetContext("stackName"), "Sendsar"));
        new SendsarStack(app, stackName, StackProps.builder()
                .description("Sendsar: serverless multi-tenant chat API")
                .env(Environment.builder()
                        .account(System.getenv("CDK_DEFAULT_ACCOUNT"))
                        .region(System.getenv("CDK_DEFAULT_REGION"))
                        .build())
                .build(), DeploymentSettings.fromContext(app.getNode()));
        app.synth();
    }
}
