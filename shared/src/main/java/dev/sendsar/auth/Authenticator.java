package dev.sendsar.auth;

import dev.sendsar.error.ErrorCode;
import dev.sendsar.config.SendsarConfig;
import dev.sendsar.domain.Caller;
import dev.sendsar.error.ApiException;
import jakarta.inject.Singleton;

/** Turns request credentials into a {@link Caller}: operator key, API key, or session JWT, in that order. */
@Singleton
public class Authenticator {
    private final SendsarConfig config;
    private final ApiKeyService apiKeys;
    private final SessionTokens sessionTokens;

    public Authenticator(SendsarConfig config, ApiKeyService apiKeys, SessionTokens sessionTokens) {
        this.config = config;
        this.apiKeys = apiKeys;
        this.sessionTokens = sessionTokens;
    }

    public Caller authenticate(String adminKey, String apiKey, String authorization) {
        if (adminKey != null) {
            if (!Secrets.sameSecret(adminKey, config.getAdminKey())) {
                throw new ApiException(ErrorCode.INVALID_ADMIN_KEY, "The operator key is not valid");
            }
            return Caller.admin();
        }
        if (apiKey != null) {
            return Caller.apiKey(apiKeys.tenantOf(apiKey));
        }
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return userOf(authorization.substring(7).trim());
        }
        throw ApiException.unauthorized("Send an x-api-key header or an Authorization: Bearer session token");
    }

    /** A session token's user, if the token verifies and its tenant is active. */
    public Caller userOf(String token) {
        SessionTokens.Claims claims = sessionTokens.verify(token);
        if (!apiKeys.isActive(claims.tenantId())) {
            throw ApiException.unauthorized("The session token is invalid or expired");
        }
        return Caller.user(claims.tenantId(), claims.userId());
    }
}
