package dev.sendsar.config;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Prototype;
import jakarta.inject.Singleton;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClientBuilder;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;
import java.time.Duration;

/**
 * AWS SDK clients: the same code talks to AWS and, through endpoint overrides, to the local emulators. The adapters
 * take them as {@code BeanProvider}s and build one on its first call: building a client costs a cold start some 100
 * classes and its CPU, and a send or a {@code $connect} would otherwise build the S3, SQS and {@code @connections}
 * clients its services hold for paths it never takes (docs/performance.md, Cold start).
 */
@Factory
public class AwsClientFactory {

    @Singleton
    DynamoDbClient dynamoDbClient(SendsarConfig config) {
        return configure(DynamoDbClient.builder(), config, config.getDynamodbEndpoint(), UrlConnectionHttpClient.create()).build();
    }

    /**
     * The DynamoDB client as {@link #dynamoDbClient} builds it, but whose calls {@code http} answers in this process,
     * signed with credentials that are no one's: SnapStart priming runs the hot paths' calls through it, so the
     * snapshot holds the SDK's call path warm and no connection or secret.
     */
    public static DynamoDbClient offlineDynamoDb(SendsarConfig config, SdkHttpClient http) {
        return configure(DynamoDbClient.builder(), config, config.getDynamodbEndpoint(), http).credentialsProvider(OFFLINE).build();
    }

    @Singleton
    SqsClient sqsClient(SendsarConfig config) {
        return configure(SqsClient.builder(), config, config.getSqsEndpoint(), UrlConnectionHttpClient.create()).build();
    }

    /**
     * Only the token-minting function makes this, once, on its first mint: it alone may read the signing keys. Not a
     * singleton, because a Lambda context builds every singleton at start and no other function needs this client.
     */
    @Prototype
    SecretsManagerClient secretsManagerClient(SendsarConfig config) {
        return configure(SecretsManagerClient.builder(), config, null, UrlConnectionHttpClient.create()).build();
    }

    /** Path-style addressing: an emulator on 127.0.0.1 has no per-bucket host names, and AWS accepts it too. */
    @Singleton
    S3Client s3Client(SendsarConfig config) {
        return configure(S3Client.builder(), config, config.getS3Endpoint(), UrlConnectionHttpClient.create()).forcePathStyle(true).build();
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

    /**
     * A post (or a connection check or close) that API Gateway does not answer gives up: an attempt after
     * {@link #POST_ATTEMPT_TIMEOUT}, the call with its retries after {@link #POST_TIMEOUT}. A post holds one of an instance's 100 posting permits while it runs
     * ({@code RealtimePublisher.POSTS_AT_ONCE}); with the SDK's defaults (no call timeout, a 30 s read timeout, 3
     * attempts) a hung post would hold it for over a minute and a hundred of them would stall every delivery.
     */
    static final Duration POST_ATTEMPT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration POST_TIMEOUT = Duration.ofSeconds(5);

    /** The callback URL is configuration (never derived from a request), so the same code posts to AWS and locally. */
    @Singleton
    ApiGatewayManagementApiClient managementApiClient(SendsarConfig config) {
        return managementApi(config, UrlConnectionHttpClient.create())
                .credentialsProvider(config.getDynamodbEndpoint() != null ? emulatorCredentials() : DefaultCredentialsProvider.builder().build())
                .build();
    }

    /** The {@code @connections} client as {@link #managementApiClient} builds it, answered in this process (see {@link #offlineDynamoDb}). */
    public static ApiGatewayManagementApiClient offlineManagementApi(SendsarConfig config, SdkHttpClient http) {
        return managementApi(config, http).credentialsProvider(OFFLINE).build();
    }

    private static ApiGatewayManagementApiClientBuilder managementApi(SendsarConfig config, SdkHttpClient http) {
        if (config.getWsCallbackUrl() == null) {
            throw new IllegalStateException("sendsar.ws-callback-url (SENDSAR_WS_CALLBACK_URL) is not set");
        }
        return configure(ApiGatewayManagementApiClient.builder(), config, null, http)
                .overrideConfiguration(o -> o.apiCallAttemptTimeout(POST_ATTEMPT_TIMEOUT).apiCallTimeout(POST_TIMEOUT))
                .endpointOverride(URI.create(config.getWsCallbackUrl()));
    }

    /**
     * A call (DynamoDB, SQS, S3, Secrets Manager) that AWS does not answer gives up: an attempt after
     * {@link #CALL_ATTEMPT_TIMEOUT}, then the SDK tries again on a fresh connection, and the call with its retries after
     * {@link #CALL_TIMEOUT}. Without them a call on a connection that went silent waits for the HTTP client's 30 s read
     * timeout, and a request route is stopped by its function's 10 s timeout with no answer but the gateway's 503;
     * AWS answers these calls in milliseconds. A retried write whose first attempt was applied is safe: see
     * DynamoMessageRepository#put.
     */
    static final Duration CALL_ATTEMPT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(8);

    /**
     * Region, HTTP client, timeouts and credentials; an emulator endpoint, when set, with the emulators' fixed
     * credentials.
     */
    private static <B extends AwsClientBuilder<B, ?> & SdkSyncClientBuilder<B, ?>> B configure(B builder, SendsarConfig config,
                                                                                                 String emulatorEndpoint, SdkHttpClient http) {
        builder.httpClient(http).region(Region.of(config.getRegion()))
                .overrideConfiguration(o -> o.apiCallAttemptTimeout(CALL_ATTEMPT_TIMEOUT).apiCallTimeout(CALL_TIMEOUT));
        if (emulatorEndpoint != null) {
            builder.endpointOverride(URI.create(emulatorEndpoint)).credentialsProvider(emulatorCredentials());
        } else {
            builder.credentialsProvider(DefaultCredentialsProvider.builder().build());
        }
        return builder;
    }

    /** Credentials of no one: an offline client's calls are signed as every call is, and never leave the process. */
    private static final AwsCredentialsProvider OFFLINE =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("offline", "offline"));

    private static AwsCredentialsProvider emulatorCredentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
    }
}
