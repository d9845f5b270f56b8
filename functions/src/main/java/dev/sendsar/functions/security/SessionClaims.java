package dev.sendsar.functions.security;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.sendsar.auth.ApiKeyService;
import dev.sendsar.auth.SessionTokenSigner;
import jakarta.inject.Singleton;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * The claims a session token must carry once its signature holds: an expiry (with {@link #LEEWAY} for clock skew
 * between the minting and the verifying function), an issue time and, if present, a not-before time not in the
 * future, a user, a tenant and the API key that minted it, which must still be live (not revoked, its tenant active)
 * as {@link ApiKeyService}'s cache sees it: revoking a key ends its tokens within the cache window, on REST and on
 * {@code $connect} alike.
 */
@Singleton
public class SessionClaims {
    static final Duration LEEWAY = Duration.ofSeconds(30);
    private static final int MAX_ID_LENGTH = 128;

    private final ApiKeyService apiKeys;

    public SessionClaims(ApiKeyService apiKeys) {
        this.apiKeys = apiKeys;
    }

    /**
     * Whether the claims that cannot change hold at {@code now}: an expiry present, issued (and valid from) no later
     * than {@code now} and the leeway, and a user, tenant and key id. What can change is {@link #isCurrent}.
     */
    public boolean validate(JWTClaimsSet set, Instant now) {
        Date expires = set.getExpirationTime();
        Date issued = set.getIssueTime();
        Date notBefore = set.getNotBeforeTime();
        if (expires == null || issued == null || issued.toInstant().isAfter(now.plus(LEEWAY))
                || notBefore != null && notBefore.toInstant().isAfter(now.plus(LEEWAY))) {
            return false;
        }
        try {
            String tenantId = set.getStringClaim(SessionTokenSigner.TENANT_CLAIM);
            String keyId = set.getStringClaim(SessionTokenSigner.API_KEY_CLAIM);
            return isId(set.getSubject()) && isId(tenantId) && isId(keyId);
        } catch (ParseException notAString) {
            return false;
        }
    }

    /** What may change after a token was accepted: it expires, and its key may be revoked or its tenant disabled. */
    public boolean isCurrent(Instant expires, String tenantId, String keyId, Instant now) {
        return now.isBefore(expires.plus(LEEWAY)) && apiKeys.isLive(tenantId, keyId);
    }

    private static boolean isId(String value) {
        return value != null && !value.isBlank() && value.length() <= MAX_ID_LENGTH;
    }
}
