package dev.sendsar.fakes;

import dev.sendsar.config.SendsarConfig;

/** Configuration for adapter tests that wire adapters by hand. */
public record TestConfig(String table, String jwtKeys, String adminKey, int apiKeyWritesPerMinute) implements SendsarConfig {
    public TestConfig(String table, String jwtKeys, String adminKey) {
        this(table, jwtKeys, adminKey, 6000);
    }

    @Override public String getTable() { return table; }
    @Override public String getRegion() { return "us-east-1"; }
    @Override public String getDynamodbEndpoint() { return null; }
    @Override public String getSqsEndpoint() { return null; }
    @Override public String getWsUrl() { return "ws://localhost/ws"; }
    @Override public String getWsCallbackUrl() { return null; }
    @Override public String getJwtKeys() { return jwtKeys; }
    @Override public String getJwtPublicKeys() { return jwtKeys == null ? null : dev.sendsar.auth.SessionTokenSigner.publicKeysOf(jwtKeys); }
    @Override public String getJwtKeysSecret() { return null; }
    @Override public String getAdminKey() { return adminKey; }
    @Override public int getApiKeyCacheSeconds() { return 60; }
    @Override public int getSettingsCacheSeconds() { return 30; }
    @Override public int getApiKeyWritesPerMinute() { return apiKeyWritesPerMinute; }
    @Override public String getUploadsBucket() { return "sendsar-test-uploads"; }
    @Override public String getS3Endpoint() { return null; }
    @Override public String getFcmUrl() { return "https://fcm.googleapis.com"; }
    @Override public String getApnsUrl() { return null; }
    @Override public String getOnesignalUrl() { return "https://api.onesignal.com"; }
}
