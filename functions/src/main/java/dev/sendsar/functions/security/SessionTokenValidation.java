package dev.sendsar.functions.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.sendsar.auth.SessionTokenSigner;
import dev.sendsar.domain.Caller;
import dev.sendsar.error.ApiException;
import jakarta.inject.Singleton;

import java.text.ParseException;
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
        if (token == null || token.length() > MAX_TOKEN_LENGTH) {
            return Optional.empty();
        }
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!keys.verify(jwt)) {
                return Optional.empty();
            }
            JWTClaimsSet set = jwt.getJWTClaimsSet();
            if (!claims.validate(set)) {
                return Optional.empty();
            }
            return Optional.of(Caller.user(set.getStringClaim(SessionTokenSigner.TENANT_CLAIM), set.getSubject()));
        } catch (ParseException | JOSEException notASessionToken) {
            return Optional.empty();
        }
    }
}
