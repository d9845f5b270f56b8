package dev.sendsar.functions.snapstart;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.sendsar.config.SendsarConfig;
import dev.sendsar.error.ApiException;
import dev.sendsar.functions.lambda.ClassPreloader;
import dev.sendsar.functions.security.SessionTokenValidation;
import dev.sendsar.domain.Ids;
import dev.sendsar.domain.Message;
import dev.sendsar.domain.Times;
import dev.sendsar.json.Json;
import dev.sendsar.service.RealtimePublisher;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * SnapStart priming. Before Lambda snapshots an initialized function, it runs the local work of the hot paths
 * (send message, {@code $connect}): message and frame JSON both ways, and a session token through the token validator
 * (signed with a throwaway key, since functions hold only public keys: the signature check then refuses it) and an
 * ES256 verification. It also builds the {@code @connections} client where one is configured (adapters build their
 * clients on first use, see {@code AwsClientFactory}, and a send posts frames through it). The
 * snapshot then holds those classes loaded and their code warm, so a restored function does not pay for them on
 * its first request. Nothing here touches the network: a snapshot must not hold connections.
 */
@Context
@Requires(property = "sendsar.snapstart-priming", notEquals = "false")
public class SnapStartPriming implements Resource {
    private static final Logger LOG = LoggerFactory.getLogger(SnapStartPriming.class);
    static final int ROUNDS = 50;

    private final Json json;
    /** Resolved only when priming runs: building the validator at context start would slow every cold start. */
    private final BeanProvider<SessionTokenValidation> sessionTokens;

    private final SendsarConfig config;
    private final BeanProvider<ApiGatewayManagementApiClient> connections;

    public SnapStartPriming(Json json, BeanProvider<SessionTokenValidation> sessionTokens, SendsarConfig config,
                            BeanProvider<ApiGatewayManagementApiClient> connections) {
        this.json = json;
        this.sessionTokens = sessionTokens;
        this.config = config;
        this.connections = connections;
        Core.getGlobalContext().register(this);
    }

    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        long started = System.nanoTime();
        ClassPreloader.awaitRunning(java.time.Duration.ofSeconds(10)); // the snapshot then holds every listed class
        int rounds = prime();
        if (config.getWsCallbackUrl() != null) {
            connections.get();
        }
        LOG.info("Primed {} rounds before the snapshot in {} ms", rounds, (System.nanoTime() - started) / 1_000_000);
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // nothing to reopen: priming made no connections
    }

    /** Runs the hot paths' local work; returns how many rounds ran. */
    int prime() {
        ECKey throwaway = throwawayKey();
        for (int i = 0; i < ROUNDS; i++) {
            Message message = Message.posted(Ids.messageId(i + 1L), Ids.uuid(), i + 1L, "priming",
                    List.of(Map.of("type", "text", "text", "priming " + i)), "priming", null, Times.now(), null);
            String frame = json.write(new RealtimePublisher.Frame("new-message", message));
            try {
                json.read(json.write(message), Message.class);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            json.readMap(frame);
            primeSessionToken(throwaway);
        }
        return ROUNDS;
    }

    private void primeSessionToken(ECKey key) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(),
                    new JWTClaimsSet.Builder().subject("priming").expirationTime(new java.util.Date()).build());
            jwt.sign(new ECDSASigner(key));
            jwt.verify(new ECDSAVerifier(key.toPublicJWK()));
            sessionTokens.get().user(jwt.serialize());
            throw new IllegalStateException("A token signed with a throwaway key passed validation");
        } catch (ApiException refused) {
            // expected: the key is not one of the session keys
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ECKey throwawayKey() {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID("priming").generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
