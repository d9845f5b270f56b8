package dev.sendsar.functions.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import dev.sendsar.config.SendsarConfig;
import jakarta.inject.Singleton;

import java.text.ParseException;
import java.util.HashMap;
import java.util.Map;

/**
 * The public keys session tokens are verified with ({@code sendsar.jwt-public-keys}): ES256 only, and the token must
 * name its key with {@code kid}. No function holds a private key for this (a key set with private parts is refused at
 * start), and nothing is fetched over the network.
 */
@Singleton
public class SessionKeys {
    private final Map<String, ECDSAVerifier> verifiers = new HashMap<>();
    private final String publicJwks;

    public SessionKeys(SendsarConfig config) {
        if (config.getJwtPublicKeys() == null) {
            throw new IllegalStateException("sendsar.jwt-public-keys (SENDSAR_JWT_PUBLIC_KEYS) is not set");
        }
        try {
            JWKSet keys = JWKSet.parse(config.getJwtPublicKeys());
            for (JWK key : keys.getKeys()) {
                ECKey ec = key.toECKey();
                if (ec.isPrivate() || ec.getKeyID() == null || !Curve.P_256.equals(ec.getCurve())) {
                    throw new IllegalStateException("sendsar.jwt-public-keys must hold public P-256 keys with a kid only");
                }
                verifiers.put(ec.getKeyID(), new ECDSAVerifier(ec));
            }
            this.publicJwks = keys.toString();
        } catch (ParseException | JOSEException | RuntimeException e) {
            throw new IllegalStateException("sendsar.jwt-public-keys is not a valid public EC JWK set", e);
        }
    }

    /** What {@code GET /v1/auth/jwks.json} serves. */
    public String publicJwks() {
        return publicJwks;
    }

    /** Whether one of the session keys, named by the token's {@code kid}, signed it with ES256. */
    public boolean verify(SignedJWT jwt) throws JOSEException {
        String kid = jwt.getHeader().getKeyID();
        ECDSAVerifier verifier = kid == null ? null : verifiers.get(kid);
        return verifier != null && JWSAlgorithm.ES256.equals(jwt.getHeader().getAlgorithm()) && jwt.verify(verifier);
    }
}
