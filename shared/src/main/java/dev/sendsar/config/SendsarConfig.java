package dev.sendsar.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import io.micronaut.core.annotation.Nullable;

/**
 * Everything a function needs to know about its environment. Locally the runtime fills it in; on AWS the CDK stack
 * sets it as {@code SENDSAR_*} environment variables.
 */
@ConfigurationProperties("sendsar")
public interface SendsarConfig {

    /** The single DynamoDB table of the data plane. */
    @Bindable(defaultValue = "sendsar")
    String getTable();

    @Bindable(defaultValue = "us-east-1")
    String getRegion();

    /** Set only for emulators; on AWS the SDK finds the regional endpoint. */
    @Nullable
    String getDynamodbEndpoint();

    @Nullable
    String getSqsEndpoint();

    /** The private bucket of media uploads ({@code SENDSAR_UPLOADS_BUCKET}). */
    @Nullable
    String getUploadsBucket();

    /** Set only for an S3 emulator; presigned URLs point here, so it must be an address clients can reach. */
    @Nullable
    String getS3Endpoint();

    /** Where clients open the WebSocket, as {@code GET /v1/realtime} and token responses tell them. */
    @Bindable(defaultValue = "ws://localhost:3001/ws")
    String getWsUrl();

    /** The {@code @connections} management endpoint; configuration, never derived from a request. */
    @Nullable
    String getWsCallbackUrl();

    /**
     * The session-token verification keys as a public JWK set ({@code SENDSAR_JWT_PUBLIC_KEYS}): every function
     * verifies with these, and {@code /auth/jwks.json} serves them. A key with private parts is refused.
     */
    @Nullable
    String getJwtPublicKeys();

    /**
     * The signing keys as a private JWK set, the first key signing: only where the keys are not in a secret store
     * (local runtime, tests). On AWS this is unset and only the token-minting function has {@link #getJwtKeysSecret}.
     */
    @Nullable
    String getJwtKeys();

    /** The Secrets Manager secret (ARN) holding the private signing keys; set on the token-minting function only. */
    @Nullable
    String getJwtKeysSecret();

    /**
     * Writes per minute one tenant may make with its API keys, all keys and acted-as users together
     * ({@code SENDSAR_API_KEY_WRITES_PER_MINUTE}); a platform limit the tenant cannot raise itself.
     */
    @Bindable(defaultValue = "6000")
    int getApiKeyWritesPerMinute();

    /** The operator key for {@code /v1/admin}; from the secret store on AWS. */
    @Nullable
    String getAdminKey();

    /** How long a warm function trusts a cached API-key lookup: the bound on how late a revocation bites. */
    @Bindable(defaultValue = "60")
    int getApiKeyCacheSeconds();

    /** How long a warm function trusts cached tenant settings: the bound on how late a PATCH reaches it. */
    @Bindable(defaultValue = "30")
    int getSettingsCacheSeconds();

    /** FCM HTTP v1 base URL ({@code SENDSAR_FCM_URL}); tests and the local stack point it at a fake. */
    @Bindable(defaultValue = "https://fcm.googleapis.com")
    String getFcmUrl();

    /** APNs base URL ({@code SENDSAR_APNS_URL}); unset, each tenant's {@code production} flag picks Apple's host. */
    @Nullable
    String getApnsUrl();

    /** OneSignal REST base URL ({@code SENDSAR_ONESIGNAL_URL}). */
    @Bindable(defaultValue = "https://api.onesignal.com")
    String getOnesignalUrl();
}
