package dev.sendsar.config;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;

/** AWS SDK clients: the same code talks to AWS and, through endpoint overrides, to the local emulators. */
@Factory
public class AwsClientFactory {

    @Singleton
    DynamoDbClient dynamoDbClient(SendsarConfig config) {
        var builder = DynamoDbClient.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .region(Region.of(config.getRegion()));
        if (config.getDynamodbEndpoint() != null) {
            builder.endpointOverride(URI.create(config.getDynamodbEndpoint())).credentialsProvider(emulatorCredentials());
        } else {
            builder.credentialsProvider(DefaultCredentialsProvider.builder().build());
        }
        return builder.build();
    }

    @Singleton
    SqsClient sqsClient(SendsarConfig config) {
        var builder = SqsClient.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .region(Region.of(config.getRegion()));
        if (config.getSqsEndpoint() != null) {
            builder.endpointOverride(URI.create(config.getSqsEndpoint())).credentialsProvider(emulatorCredentials());
        } else {
            builder.credentialsProvider(DefaultCredentialsProvider.builder().build());
        }
        return builder.build();
    }

    /** Path-style addressing: an emulator on 127.0.0.1 has no per-bucket host names, and AWS accepts it too. */
    @Singleton
    S3Client s3Client(SendsarConfig config) {
        var builder = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .region(Region.of(config.getRegion()))
                .forcePathStyle(true);
        if (config.getS3Endpoint() != null) {
            builder.endpointOverride(URI.create(config.getS3Endpoint())).credentialsProvider(emulatorCredentials());
        } else {
            builder.credentialsProvider(DefaultCredentialsProvider.builder().build());
        }
        return builder.build();
    }

    /** Signs upload and download URLs locally, without a call to S3. */
    @Singleton
    S3Presigner s3Presigner(SendsarConfig config) {
        var builder = S3Presigner.builder()
                .region(Region.of(config.getRegion()))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build());
        if (config.getS3Endpoint() != null) {
            builder.endpointOverride(URI.create(config.getS3Endpoint())).credentialsProvider(emulatorCredentials());
        } else {
            builder.credentialsProvider(DefaultCredentialsProvider.builder().build());
        }
        return builder.build();
    }

    @Singleton
    ApiGatewayManagementApiClient managementApiClient(SendsarConfig config) {
        if (config.getWsCallbackUrl() == null) {
            throw new IllegalStateException("sendsar.ws-callback-url (SENDSAR_WS_CALLBACK_URL) is not set");
        }
        boolean local = config.getDynamodbEndpoint() != null;
        return ApiGatewayManagementApiClient.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .region(Region.of(config.getRegion()))
                .endpointOverride(URI.create(config.getWsCallbackUrl()))
                .credentialsProvider(local ? emulatorCredentials() : DefaultCredentialsProvider.builder().build())
                .build();
    }

    private static AwsCredentialsProvider emulatorCredentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
    }
}
