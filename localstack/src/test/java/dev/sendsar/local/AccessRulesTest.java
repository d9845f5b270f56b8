package dev.sendsar.local;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.sendsar.functions.security.Roles;
import dev.sendsar.routes.RouteTable;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.web.router.Router;
import io.micronaut.web.router.UriRouteInfo;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every route of the route table, called with every kind of credential, answers what the route's declared rule
 * ({@code @Secured} on its controller method) says: 401 without valid credentials, 403 with a code naming what the
 * route needs for a credential kind it does not accept, and past the rule (whatever the route then answers) for a
 * kind it accepts. Another tenant's valid key passes the rule but never reaches this tenant's objects.
 */
class AccessRulesTest {
    private static final Set<String> RULE_CODES = Set.of("unauthorized", "invalid_api_key", "invalid_admin_key",
            "api_key_required", "session_token_required", "admin_key_required", "tenant_credentials_required");

    private final LocalStack stack = TestStack.get();

    private enum Kind { NONE, API_KEY, SESSION_USER, OPERATOR_KEY, OTHER_TENANTS_API_KEY, EXPIRED_TOKEN }

    @Test
    void everyRouteTimesEveryCredentialKind_getsWhatItsRuleDeclares() {
        Api server = Api.newTenant(stack);
        String alice = server.tokenFor("alice");
        server.tokenFor("bob");
        String room = server.room("alice", "bob");
        String message = server.post("/chat/rooms/" + room + "/messages", "{\"senderId\":\"bob\",\"parts\":[{\"type\":\"text\",\"text\":\"hi\"}]}")
                .body().path("id").asText();
        String tenantId = Api.tenantOf(alice);
        Map<String, String> ids = Map.of("roomId", room, "messageId", message, "userId", "bob", "tenantId", tenantId,
                "keyId", UUID.randomUUID().toString(), "uploadId", UUID.randomUUID().toString(), "token", "fcm-none",
                "callId", UUID.randomUUID().toString(), "eventId", "evt_" + UUID.randomUUID());
        Map<Kind, Api> callers = Map.of(
                Kind.NONE, Api.anonymous(stack),
                Kind.API_KEY, server,
                Kind.SESSION_USER, Api.withToken(stack, alice),
                Kind.OPERATOR_KEY, Api.admin(stack),
                Kind.OTHER_TENANTS_API_KEY, Api.newTenant(stack),
                Kind.EXPIRED_TOKEN, Api.withToken(stack, server.expiredTokenFor(stack, "alice")));
        Map<String, Set<String>> rules = declaredRules();

        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (RouteTable.HttpRoute route : RouteTable.HTTP) {
            Set<String> allowed = rules.get(route.routeKey());
            assertTrue(allowed != null && !allowed.isEmpty(), route.routeKey() + " declares no rule");
            String path = route.path().replace("/v1", "");
            for (Map.Entry<String, String> id : ids.entrySet()) {
                path = path.replace("{" + id.getKey() + "}", id.getValue());
            }
            for (Kind kind : Kind.values()) {
                Api.Response response = callers.get(kind).send(route.method(), path,
                        route.method().equals("GET") || route.method().equals("DELETE") ? null : "{}");
                String expected = expected(allowed, kind);
                String got = response.status() + " " + response.code();
                boolean ok;
                if (allowed.contains(SecurityRule.IS_ANONYMOUS)) {
                    // no credential is asked for; the route may still check its own (the LiveKit webhook's signature)
                    ok = response.status() < 500;
                } else {
                    ok = expected == null
                            ? response.status() != 401 && !RULE_CODES.contains(String.valueOf(response.code())) && response.status() < 500
                            : got.equals(expected);
                }
                if (ok && kind == Kind.OTHER_TENANTS_API_KEY && expected == null && route.path().contains("{")) {
                    ok = response.status() >= 400; // passes the rule, yet this tenant's objects stay out of reach
                }
                if (!ok) {
                    wrong.add(route.routeKey() + " as " + kind + ": expected " + (expected == null ? "past the rule" : expected)
                            + ", got " + got);
                }
                checked++;
            }
        }
        assertEquals(List.of(), wrong);
        assertEquals(RouteTable.HTTP.size() * Kind.values().length, checked);
    }

    @Test
    void aTokenOfARevokedApiKey_isRefusedOnRestAndOnConnect() {
        Api admin = Api.admin(stack);
        Api.Response created = admin.post("/admin/tenants", "{\"name\":\"revoked tokens\"}");
        String tenantId = created.body().path("tenant").path("id").asText();
        Api revokedKey = Api.withKey(stack, created.body().path("apiKey").asText());
        Api otherKey = Api.withKey(stack, admin.post("/admin/tenants/" + tenantId + "/api-keys", "").body().path("apiKey").asText());
        String minted = revokedKey.tokenFor("alice");
        String mintedByOther = otherKey.tokenFor("bob");
        assertEquals(200, Api.withToken(stack, minted).get("/chat/rooms").status());
        assertEquals(101, Socket.handshakeStatus(stack, minted));

        assertEquals(204, admin.delete("/admin/tenants/" + tenantId + "/api-keys/" + created.body().path("keyId").asText()).status());

        Api.Response refused = Api.withToken(stack, minted).get("/chat/rooms");
        assertEquals(401, refused.status());
        assertEquals("unauthorized", refused.code());
        assertEquals(401, Socket.handshakeStatus(stack, minted));
        // the tenant's other key and its tokens keep working
        assertEquals(200, Api.withToken(stack, mintedByOther).get("/chat/rooms").status());
        assertEquals(101, Socket.handshakeStatus(stack, mintedByOther));
    }

    @Test
    void aTokenThatVerifiedBefore_isStillRefusedOnceItExpires() throws Exception {
        Api server = Api.newTenant(stack);
        String token = server.tokenFor("alice");
        var validation = stack.context().getBean(dev.sendsar.functions.security.SessionTokenValidation.class);
        java.time.Instant expires = SignedJWT.parse(token).getJWTClaimsSet().getExpirationTime().toInstant();
        // verified once (its signature is then remembered), accepted up to its expiry and the clock-skew leeway
        assertEquals(200, Api.withToken(stack, token).get("/chat/rooms").status());
        assertTrue(validation.caller(token, expires.plusSeconds(29)).isPresent());
        assertTrue(validation.caller(token, expires.plusSeconds(30)).isEmpty());
        // a token that differs from it in one character of its signature is not the remembered one
        char flipped = token.charAt(token.length() - 2) == 'A' ? 'B' : 'A';
        String tampered = token.substring(0, token.length() - 2) + flipped + token.charAt(token.length() - 1);
        assertEquals(401, Api.withToken(stack, tampered).get("/chat/rooms").status());
    }

    @Test
    void forgedOrIncompleteTokens_areRefusedOnRestAndOnConnect() throws Exception {
        Api server = Api.newTenant(stack);
        String genuine = server.tokenFor("alice");
        SignedJWT parsed = SignedJWT.parse(genuine);
        JWTClaimsSet claims = parsed.getJWTClaimsSet();
        String kid = parsed.getHeader().getKeyID();
        ECKey attacker = new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
        String publicJwks = Api.anonymous(stack).get("/auth/jwks.json").raw().body();

        Map<String, String> forged = new java.util.LinkedHashMap<>();
        forged.put("alg none", new PlainJWT(claims).serialize());
        forged.put("another key, same kid", sign(attacker, kid, claims));
        forged.put("no kid", sign(attacker, null, claims));
        forged.put("HS256 keyed with the public JWKS", hs256(publicJwks, kid, claims));
        forged.put("other tenant claimed", resign(parsed, new JWTClaimsSet.Builder(claims).claim("tid", "someone-else").build()));
        // signed with the platform's own key, but with claims the platform never mints
        ECKey platform = JWKSet.parse(stack.context().getProperty("sendsar.jwt-keys", String.class).orElseThrow()).getKeys().get(0).toECKey();
        forged.put("no key of origin", sign(platform, kid, new JWTClaimsSet.Builder(claims).claim("akid", null).build()));
        forged.put("unknown key of origin", sign(platform, kid, new JWTClaimsSet.Builder(claims).claim("akid", UUID.randomUUID().toString()).build()));
        forged.put("no expiry", sign(platform, kid, new JWTClaimsSet.Builder(claims).expirationTime(null).build()));
        forged.put("issued in the future", sign(platform, kid, new JWTClaimsSet.Builder(claims)
                .issueTime(Date.from(Instant.now().plusSeconds(600))).expirationTime(Date.from(Instant.now().plusSeconds(900))).build()));
        forged.put("no tenant", sign(platform, kid, new JWTClaimsSet.Builder(claims).claim("tid", null).build()));

        for (Map.Entry<String, String> token : forged.entrySet()) {
            assertEquals(401, Api.withToken(stack, token.getValue()).get("/chat/rooms").status(), token.getKey());
            assertEquals(401, Socket.handshakeStatus(stack, token.getValue()), token.getKey());
        }
        assertEquals(200, Api.withToken(stack, genuine).get("/chat/rooms").status());
        assertTrue(JWKSet.parse(publicJwks).getKeys().stream().noneMatch(k -> k.isPrivate()), "the JWKS route serves public keys only");
    }

    /** What the rule declares for a kind: null when the kind passes it, else the exact "status code" it answers. */
    private static String expected(Set<String> allowed, Kind kind) {
        if (allowed.contains(SecurityRule.IS_ANONYMOUS)) {
            return null;
        }
        String role = switch (kind) {
            case NONE, EXPIRED_TOKEN -> null;
            case API_KEY, OTHER_TENANTS_API_KEY -> Roles.API_KEY;
            case SESSION_USER -> Roles.USER;
            case OPERATOR_KEY -> Roles.ADMIN;
        };
        if (role == null) {
            return "401 unauthorized";
        }
        if (allowed.contains(role)) {
            return null;
        }
        if (allowed.equals(Set.of(Roles.ADMIN))) {
            return "403 admin_key_required";
        }
        if (allowed.equals(Set.of(Roles.API_KEY))) {
            return "403 api_key_required";
        }
        if (allowed.equals(Set.of(Roles.USER))) {
            return "403 session_token_required";
        }
        return "403 tenant_credentials_required";
    }

    /** Route key → the roles its controller method declares, read from the running REST application. */
    private Map<String, Set<String>> declaredRules() {
        return stack.context().getBean(Router.class).uriRoutes()
                .filter(route -> !"HEAD".equals(route.getHttpMethodName()))
                .collect(Collectors.toMap(
                        route -> route.getHttpMethodName() + " " + ((UriRouteInfo<?, ?>) route).getUriMatchTemplate().toPathString(),
                        route -> Set.of(route.getAnnotationMetadata().stringValues(Secured.class)),
                        (one, same) -> {
                            assertEquals(one, same, "one route key, two rules");
                            return one;
                        }));
    }

    private static String sign(ECKey key, String kid, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(kid).type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }

    private static String hs256(String secret, String kid, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(kid).build(), claims);
        jwt.sign(new MACSigner(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    /** The genuine header and signature over edited claims: a signature that no longer matches. */
    private static String resign(SignedJWT genuine, JWTClaimsSet edited) {
        return genuine.getParsedParts()[0] + "." + com.nimbusds.jose.util.Base64URL.encode(edited.toString()) + "."
                + genuine.getParsedParts()[2];
    }
}
