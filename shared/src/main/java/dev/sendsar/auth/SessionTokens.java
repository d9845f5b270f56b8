package dev.sendsar.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.sendsar.config.SendsarConfig;
import dev.sendsar.domain.Ids;
import dev.sendsar.error.ApiException;
import jakarta.inject.Singleton;

import java.text.ParseException;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;

/**
 * Session JWTs: ES256 with a {@code kid}, claims {@code sub} (user), {@code tid} (tenant), {@code iat}, {@code exp},
 * {@code jti}. The first key of the configured set signs; any key of the set verifies, so keys can rotate.
 */
@Singleton
public class SessionTokens {

    public record Issued(String token, Instant expiresAt) {
    }

    public record Claims(String tenantId, String userId, Instant expiresAt) {
    }

    private final ECKey signingKey;
    private final Map<String, ECDSAVerifier> verifiers = new HashMap<>();
    private final JWKSet publicKeys;

    public SessionTokens(SendsarConfig config) {
        if (config.getJwtKeys() == null) {
            throw new IllegalStateException("sendsar.jwt-keys (SENDSAR_JWT_KEYS) is not set");
        }
        try {
            JWKSet keys = JWKSet.parse(config.getJwtKeys());
            this.signingKey = keys.getKeys().get(0).toECKey();
            for (JWK key : keys.getKeys()) {
                verifiers.put(key.getKeyID(), new ECDSAVerifier(key.toECKey().toPublicJWK()));
            }
            this.publicKeys = keys.toPublicJWKSet();
        } catch (ParseException | JOSEException | RuntimeException e) {
            throw new IllegalStateException("sendsar.jwt-keys is not a valid EC JWK set", e);
        }
    }

    /** A fresh P-256 signing key set, as the local runtime makes on its first start. */
    public static String generateKeySet() {
        try {
            ECKey key = new ECKeyGenerator(Curve.P_256).keyID(Ids.uuid()).keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.ES256).generate();
            return new JWKSet(key).toString(false);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public Issued issue(String tenantId, String userId, int ttlSeconds) {
        Instant now = Instant.now();
        Instant expiresAt = now.plusSeconds(ttlSeconds);
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(userId)
                .claim("tid", tenantId)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(expiresAt))
                .jwtID(Ids.uuid())
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(signingKey.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(new ECDSASigner(signingKey));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return new Issued(jwt.serialize(), expiresAt.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    }

    /** Verifies signature and expiry; any failure is a 401 {@code invalid_token}, whatever the cause. */
    public Claims verify(String token) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            ECDSAVerifier verifier = verifiers.get(jwt.getHeader().getKeyID());
            if (verifier == null || !JWSAlgorithm.ES256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(verifier)) {
                throw invalid();
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            Date exp = claims.getExpirationTime();
            String tenantId = claims.getStringClaim("tid");
            if (exp == null || !exp.toInstant().isAfter(Instant.now()) || claims.getSubject() == null || tenantId == null) {
                throw invalid();
            }
            return new Claims(tenantId, claims.getSubject(), exp.toInstant());
        } catch (ParseException | JOSEException | IllegalStateException e) {
            throw invalid();
        }
    }

    public String publicJwks() {
        return publicKeys.toString();
    }

    private static ApiException invalid() {
        return ApiException.unauthorized("The session token is invalid or expired");
    }
}
