package dev.sendsar.functions.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.sendsar.auth.SessionTokenSigner;
import dev.sendsar.domain.Caller;
import dev.sendsar.error.ApiException;
import jakarta.inject.Singleton;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The one check of a session token, for REST's bearer tokens ({@link BearerSessionTokens}) and {@code $connect}'s
 * {@code ?token=} alike: a signed JWT (never {@code alg: none} or an encrypted one) whose signature one of the
 * {@link SessionKeys} holds and whose claims {@link SessionClaims} accepts. It is the {@link Roles#USER} of its tenant:
 * roles never come from the token itself. Plain nimbus-jose-jwt, not micronaut-security-jwt's validator, whose
 * Reactor pipeline and HTTP-shaped API cost every cold start some 800 classes (docs/decisions.md, Cold start).
 */
@Singleton
public class SessionTokenValidation {
    /** A session token is ~450 characters; a much longer one is not worth parsing. */
    private static final int MAX_TOKEN_LENGTH = 4096;

    private final SessionKeys keys;
    private final SessionClaims claims;
    /** Tokens that verified, by the whole token (signature included); bounded, and each kept at most 10 minutes. */
    private final Cache<String, Verified> verified = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(Duration.ofMinutes(10)).build();

    public SessionTokenValidation(SessionKeys keys, SessionClaims claims) {
        this.keys = keys;
        this.claims = claims;
    }

    /** The session user of a valid token; a 401 {@code unauthorized} for anything else, an API key included. */
    public Caller user(String token) {
        if (token == null || token.isBlank() || token.length() > MAX_TOKEN_LENGTH) {
            throw ApiException.unauthorized("Connect with ?token=<session JWT>");
        }
        return caller(token).orElseThrow(() -> ApiException.unauthorized("The session token is invalid or expired"));
    }

    /** The session user of a valid token, empty for anything else. */
    public Optional<Caller> caller(String token) {
        return caller(token, Instant.now());
    }

    /**
     * As {@link #caller(String)} at {@code now}. A token whose signature and fixed claims held is remembered, so a
     * client's next requests with it pay no second signature check (an ES256 verification, about a millisecond of
     * CPU); its expiry and its key's liveness are checked on every use all the same.
     */
    public Optional<Caller> caller(String token, Instant now) {
        if (token == null || token.length() > MAX_TOKEN_LENGTH) {
            return Optional.empty();
        }
        Verified known = verified.getIfPresent(token);
        boolean remembered = known != null;
        if (!remembered) {
            known = verify(token, now);
        }
        if (known == null || !claims.isCurrent(known.expires(), known.caller().tenantId(), known.keyId(), now)) {
            return Optional.empty();
        }
        if (!remembered) {
            verified.put(token, known); // only a token that was accepted
        }
        return Optional.of(known.caller());
    }

    private Verified verify(String token, Instant now) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!keys.verify(jwt)) {
                return null;
            }
            JWTClaimsSet set = jwt.getJWTClaimsSet();
            if (!claims.validate(set, now)) {
                return null;
            }
            return new Verified(Caller.user(set.getStringClaim(SessionTokenSigner.TENANT_CLAIM), set.getSubject()),
                    set.getExpirationTime().toInstant(), set.getStringClaim(SessionTokenSigner.API_KEY_CLAIM));
        } catch (ParseException | JOSEException notASessionToken) {
            return null;
        }
    }

    /** A token whose signature and fixed claims held: whose it is, until when, and the key that minted it. */
    private record Verified(Caller caller, Instant expires, String keyId) {
    }
}
