package dev.sendsar.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.sendsar.config.SendsarConfig;
import dev.sendsar.domain.Ids;
import io.micronaut.context.BeanProvider;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

import java.text.ParseException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;

/**
 * Mints session JWTs: ES256 with a {@code kid} header, claims {@code sub} (user), {@value #TENANT_CLAIM} (tenant),
 * {@value #API_KEY_CLAIM} (the API key that minted it, so revoking the key ends its tokens), {@code iat}, {@code exp},
 * {@code jti}. The first key of the private JWK set signs. The private keys are read on the first mint and kept for
 * the life of the function: on AWS from the Secrets Manager secret {@code sendsar.jwt-keys-secret}, which only the
 * token-minting function may read; in the local runtime and tests from {@code sendsar.jwt-keys}. Verification is not
 * here: every function verifies with the public keys only (functions' {@code security} package).
 */
@Singleton
public class SessionTokenSigner {
    public static final String TENANT_CLAIM = "tid";
    public static final String API_KEY_CLAIM = "akid";

    public record Issued(String token, Instant expiresAt) {
    }

    private final SendsarConfig config;
    private final BeanProvider<SecretsManagerClient> secretsManager;
    private volatile ECKey signingKey;

    public SessionTokenSigner(SendsarConfig config, BeanProvider<SecretsManagerClient> secretsManager) {
        this.config = config;
        this.secretsManager = secretsManager;
    }

    public Issued issue(String tenantId, String userId, String apiKeyId, int ttlSeconds) {
        ECKey key = signingKey();
        Instant now = Instant.now();
        Instant expiresAt = now.plusSeconds(ttlSeconds).truncatedTo(ChronoUnit.SECONDS);
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(userId)
                .claim(TENANT_CLAIM, tenantId)
                .claim(API_KEY_CLAIM, apiKeyId)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(expiresAt))
                .jwtID(Ids.uuid())
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(new ECDSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return new Issued(jwt.serialize(), expiresAt);
    }

    private ECKey signingKey() {
        ECKey key = signingKey;
        if (key == null) {
            synchronized (this) {
                if (signingKey == null) {
                    signingKey = firstPrivateKey(privateKeySet());
                }
                key = signingKey;
            }
        }
        return key;
    }

    private String privateKeySet() {
        if (config.getJwtKeysSecret() != null) {
            return secretsManager.get().getSecretValue(r -> r.secretId(config.getJwtKeysSecret())).secretString();
        }
        if (config.getJwtKeys() != null) {
            return config.getJwtKeys();
        }
        throw new IllegalStateException("Neither sendsar.jwt-keys-secret (SENDSAR_JWT_KEYS_SECRET) nor sendsar.jwt-keys is set");
    }

    private static ECKey firstPrivateKey(String jwkSet) {
        try {
            ECKey key = JWKSet.parse(jwkSet).getKeys().get(0).toECKey();
            if (!key.isPrivate() || key.getKeyID() == null || !Curve.P_256.equals(key.getCurve())) {
                throw new IllegalStateException("The first signing key must be a private P-256 key with a kid");
            }
            return key;
        } catch (ParseException | RuntimeException e) {
            throw new IllegalStateException("The session-token signing keys are not a valid EC JWK set", e);
        }
    }

    /** A fresh private P-256 signing key set, as the local runtime makes on its first start. */
    public static String generateKeySet() {
        try {
            ECKey key = new ECKeyGenerator(Curve.P_256).keyID(Ids.uuid()).keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.ES256).generate();
            return new JWKSet(key).toString(false);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The public half of a private JWK set: what every function verifies with and {@code /auth/jwks.json} serves. */
    public static String publicKeysOf(String privateJwkSet) {
        try {
            return JWKSet.parse(privateJwkSet).toPublicJWKSet().toString();
        } catch (ParseException e) {
            throw new IllegalStateException("Not a JWK set", e);
        }
    }
}
