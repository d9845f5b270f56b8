package dev.sendsar.local;

import com.fasterxml.jackson.databind.JsonNode;
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
import com.nimbusds.jwt.SignedJWT;
import dev.sendsar.routes.RouteTable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The attacker's view, in CI: thousands of seeded malformed requests over every route of the route table and
 * malformed frames over every WebSocket route, with no 5xx and no request left unanswered; the JWT attack set; and
 * every route that takes an id, called by another tenant with this tenant's ids. A failure prints the seed:
 * rerun with {@code -Dsendsar.fuzz.seed=N} (and {@code -Dsendsar.fuzz.perRoute=N} for more requests per route).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FuzzAttackTest {
    private static final long SEED = Long.getLong("sendsar.fuzz.seed", new SecureRandom().nextLong());
    private static final int PER_ROUTE = Integer.getInteger("sendsar.fuzz.perRoute", 60);
    private static final int TIMEOUT_MILLIS = 15_000;
    private static final Pattern PARAM = Pattern.compile("\\{([^}]+)}");

    private final LocalStack stack = TestStack.get();
    private Api tenantA;
    private Api tenantB;
    private String tenantIdA;
    private String keyIdA;
    private String aliceToken;
    private String carolToken;
    private String roomA;
    private String messageA;
    private String uploadA;
    private String roomB;
    private final String secret = "secret-" + UUID.randomUUID();

    @BeforeAll
    void world() {
        System.out.println("FuzzAttackTest seed: " + SEED + " (rerun with -Dsendsar.fuzz.seed=" + SEED + ")");
        tenantA = Api.newTenant(stack);
        tenantB = Api.newTenant(stack);
        tenantA.post("/users", "{\"id\":\"alice\",\"username\":\"Alice " + secret + "\"}");
        aliceToken = tenantA.tokenFor("alice");
        tenantA.tokenFor("bob");
        carolToken = tenantB.tokenFor("carol");
        tenantIdA = claim(aliceToken, "tid");
        roomA = tenantA.room("alice", "bob");
        messageA = tenantA.post("/chat/rooms/" + roomA + "/messages", "{\"senderId\":\"alice\",\"parts\":[{\"type\":\"text\",\"text\":\""
                + secret + "\"}]}").body().path("id").asText();
        uploadA = Api.withToken(stack, aliceToken).post("/chat/uploads/presign",
                "{\"filename\":\"a.png\",\"mediaType\":\"image/png\",\"sizeBytes\":10}").body().path("uploadId").asText();
        keyIdA = Api.admin(stack).post("/admin/tenants/" + tenantIdA + "/api-keys", "").body().path("keyId").asText();
        roomB = tenantB.room("carol");
        Api.withToken(stack, aliceToken).post("/users/me/device-tokens", "{\"provider\":\"fcm\",\"token\":\"device-" + secret + "\",\"platform\":\"android\"}");
    }

    private static String claim(String jwt, String name) {
        try {
            return Api.JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1])).path(name).asText();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A's real value for a path parameter. */
    private String valid(String param) {
        return switch (param) {
            case "tenantId" -> tenantIdA;
            case "keyId" -> keyIdA;
            case "userId" -> "bob";
            case "roomId" -> roomA;
            case "messageId" -> messageA;
            case "uploadId" -> uploadA;
            case "token" -> "device-" + secret;
            // an id this world has none of (a call): a well-formed one, so the route is reached
            default -> UUID.randomUUID().toString();
        };
    }

    // ---- generators ----

    private static final String[] JUNK_SEGMENTS = {"%00", "a%00b", "%zz", "%", "%2", "%2F", "..", "%2e%2e", "%F0%9F%98%80",
            "%C3%28", "%FF%FE", "'%20OR%201=1", "%3Cscript%3E", "T%23x%23R%23y", "%23", "null", "0", "-1", "9999999999999999999999",
            "%20", "me", "%E2%80%AE", "a%0Ab", "a%0D%0Ab", "%7B%7D", "*", "$default", "%2525"};
    private static final String[] FIELDS = {"id", "userId", "senderId", "viewerId", "parts", "participants", "name", "targetRoomIds",
            "lastReadMessageId", "lastDeliveredMessageId", "emoji", "role", "filename", "mediaType", "sizeBytes", "metadata",
            "clientMessageId", "parentMessageId", "expiresIn", "text", "type", "customType", "externalId", "uploadId", "uploadIds",
            "data", "chat", "rateLimits", "provider", "token", "platform", "username", "avatarUrl", "displayName", "roomId", "appCode"};
    private static final String[] CONTENT_TYPES = {"application/json", "application/json", "text/plain", null, "application/xml",
            "multipart/form-data; boundary=x", "application/json; charset=utf-16", "application/x-www-form-urlencoded", "*/*"};

    private static String junkString(Random random) {
        return switch (random.nextInt(12)) {
            case 0 -> "x".repeat(129 + random.nextInt(3000));
            case 1 -> "\u0000";
            case 2 -> "";
            case 3 -> " ";
            case 4 -> "\uD83D\uDE00".repeat(1 + random.nextInt(100));
            case 5 -> "\uD800";
            case 6 -> "T#t#R#r";
            case 7 -> UUID.randomUUID().toString();
            case 8 -> "alice";
            case 9 -> "../../etc/passwd";
            case 10 -> "<script>alert(1)</script>";
            default -> Long.toString(random.nextLong());
        };
    }

    private static Object junkValue(Random random, int depth) {
        return switch (random.nextInt(depth > 3 ? 6 : 9)) {
            case 0 -> junkString(random);
            case 1 -> random.nextBoolean() ? Long.MAX_VALUE : -1;
            case 2 -> null;
            case 3 -> random.nextBoolean();
            case 4 -> 1e308 * (random.nextBoolean() ? 10 : 1);
            case 5 -> "ok";
            case 6 -> junkObject(random, depth + 1);
            case 7 -> {
                List<Object> list = new ArrayList<>();
                int n = random.nextInt(random.nextInt(10) == 0 ? 200 : 4);
                for (int i = 0; i < n; i++) {
                    list.add(junkValue(random, depth + 1));
                }
                yield list;
            }
            default -> {
                Map<String, Object> part = new LinkedHashMap<>();
                part.put("type", random.nextBoolean() ? "text" : junkString(random));
                part.put("text", junkValue(random, depth + 1));
                yield List.of(part);
            }
        };
    }

    private static Map<String, Object> junkObject(Random random, int depth) {
        Map<String, Object> object = new LinkedHashMap<>();
        int n = random.nextInt(6);
        for (int i = 0; i < n; i++) {
            object.put(random.nextInt(8) == 0 ? junkString(random) : FIELDS[random.nextInt(FIELDS.length)], junkValue(random, depth));
        }
        return object;
    }

    private static byte[] junkBody(Random random) {
        try {
            return switch (random.nextInt(10)) {
                case 0 -> null;
                case 1 -> new byte[0];
                case 2 -> "{".getBytes(StandardCharsets.UTF_8);
                case 3 -> new String[]{"[]", "null", "123", "\"s\"", "{}", "true", "{\"a\":}", "{'a':1}"}[random.nextInt(8)]
                        .getBytes(StandardCharsets.UTF_8);
                case 4 -> ("[".repeat(2000) + "]".repeat(2000)).getBytes(StandardCharsets.UTF_8);
                case 5 -> {
                    byte[] bytes = new byte[1 + random.nextInt(500)];
                    random.nextBytes(bytes);
                    yield bytes;
                }
                default -> Api.JSON.writeValueAsBytes(junkObject(random, 0));
            };
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private String junkQuery(Random random) {
        String[] names = {"limit", "cursor", "afterSeq", "participantId", "viewerId", "userId", "externalId", "customTypesFilter", "x"};
        StringBuilder query = new StringBuilder();
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) {
            String value = switch (random.nextInt(6)) {
                case 0 -> new String[]{"-1", "0", "101", "abc", "99999999999999999999", "1e309", "NaN"}[random.nextInt(7)];
                case 1 -> JUNK_SEGMENTS[random.nextInt(JUNK_SEGMENTS.length)];
                case 2 -> "x".repeat(129 + random.nextInt(3000));
                case 3 -> Base64.getUrlEncoder().encodeToString(junkString(random).getBytes(StandardCharsets.UTF_8));
                case 4 -> "alice";
                default -> "";
            };
            query.append(i == 0 ? "?" : "&").append(names[random.nextInt(names.length)]).append('=').append(value);
        }
        return query.toString();
    }

    private Map<String, String> junkCredentials(Random random) {
        Map<String, String> headers = new LinkedHashMap<>();
        switch (random.nextInt(9)) {
            case 0, 1, 2 -> headers.put("x-api-key", tenantA.credential());
            case 3, 4 -> headers.put("Authorization", "Bearer " + aliceToken);
            case 5 -> headers.put("Authorization", "Bearer " + carolToken);
            case 6 -> headers.put("x-admin-key", stack.adminKey());
            case 7 -> headers.put(random.nextBoolean() ? "x-api-key" : "Authorization", junkString(random).replaceAll("[\\r\\n\\u0000-\\u001f]", ""));
            default -> {
                // anonymous
            }
        }
        return headers;
    }

    private String path(RouteTable.HttpRoute route, Random random) {
        Matcher params = PARAM.matcher(route.path());
        StringBuilder path = new StringBuilder();
        while (params.find()) {
            String value = switch (random.nextInt(4)) {
                case 0 -> JUNK_SEGMENTS[random.nextInt(JUNK_SEGMENTS.length)];
                case 1 -> "x".repeat(129 + random.nextInt(3000));
                case 2 -> random.nextBoolean() ? roomB : UUID.randomUUID().toString();
                default -> java.net.URLEncoder.encode(valid(params.group(1)), StandardCharsets.UTF_8);
            };
            params.appendReplacement(path, Matcher.quoteReplacement(value));
        }
        params.appendTail(path);
        return path.toString();
    }

    private record Outcome(String request, String problem) {
    }

    /** One request, judged: answered in time, never 5xx, every error in the §2 envelope. */
    private Outcome judge(String method, String target, Map<String, String> headers, byte[] body) {
        String request = method + " " + (target.length() > 200 ? target.substring(0, 200) + "…" : target) + " " + headers.keySet()
                + " body=" + (body == null ? "none" : body.length > 120 ? new String(body, 0, 120, StandardCharsets.UTF_8) + "…"
                : new String(body, StandardCharsets.UTF_8));
        try {
            RawHttp.Response response = RawHttp.exchange(stack.port(), method, target, headers, body, TIMEOUT_MILLIS);
            if (response.status() >= 500) {
                return new Outcome(request, "answered " + response.status() + " " + response.body());
            }
            if (response.status() >= 400 && !method.equals("HEAD")) {
                JsonNode error = response.json();
                if (error.path("statusCode").asInt() != response.status() || !error.path("code").isTextual() || !error.path("message").isTextual()) {
                    return new Outcome(request, "error outside the envelope: " + response.status() + " " + response.body());
                }
            }
            return null;
        } catch (SocketTimeoutException hang) {
            return new Outcome(request, "no answer within " + TIMEOUT_MILLIS + " ms");
        } catch (IOException | AssertionError e) {
            return new Outcome(request, e.toString());
        }
    }

    private static void assertNone(List<Outcome> failures, int total) {
        Collections.shuffle(failures, new Random(SEED));
        assertTrue(failures.isEmpty(), failures.size() + " of " + total + " failed (seed " + SEED + "), e.g.:\n"
                + String.join("\n", failures.stream().limit(15).map(o -> o.request() + "\n    -> " + o.problem()).toList()));
    }

    @Test
    void malformedRequestsOnEveryRoute_areAnsweredWithoutA5xx() throws Exception {
        List<Supplier<Outcome>> requests = new ArrayList<>();
        Random random = new Random(SEED);
        for (RouteTable.HttpRoute route : RouteTable.HTTP) {
            for (int i = 0; i < PER_ROUTE; i++) {
                String target = path(route, random) + junkQuery(random);
                Map<String, String> headers = junkCredentials(random);
                byte[] body = route.method().equals("GET") && random.nextInt(4) != 0 ? null : junkBody(random);
                String type = CONTENT_TYPES[random.nextInt(CONTENT_TYPES.length)];
                if (type != null && body != null) {
                    headers.put("Content-Type", type);
                }
                String method = random.nextInt(20) == 0 ? new String[]{"PUT", "HEAD", "OPTIONS", "TRACE", "FOO"}[random.nextInt(5)] : route.method();
                requests.add(() -> judge(method, target, headers, body));
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<Outcome>> outcomes = new ArrayList<>();
            for (Supplier<Outcome> request : requests) {
                outcomes.add(pool.submit(request::get));
            }
            List<Outcome> failures = new ArrayList<>();
            for (Future<Outcome> outcome : outcomes) {
                Outcome o = outcome.get(TIMEOUT_MILLIS * 2L, TimeUnit.MILLISECONDS);
                if (o != null) {
                    failures.add(o);
                }
            }
            System.out.println("FuzzAttackTest: " + requests.size() + " malformed requests over " + RouteTable.HTTP.size() + " routes");
            assertNone(failures, requests.size());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void malformedFramesOnEveryWebSocketRoute_getErrorFramesNeverTheGatewaysInternalError() throws Exception {
        Random random = new Random(SEED + 1);
        List<String> actions = new ArrayList<>(RouteTable.WEBSOCKET.stream().map(RouteTable.WsRoute::routeKey).toList());
        actions.add("unknown");
        List<Socket> sockets = new ArrayList<>();
        int frames = 0;
        try {
            for (int i = 0; i < 6; i++) {
                sockets.add(Socket.open(stack, i % 2 == 0 ? aliceToken : tenantA.tokenFor("bob")));
            }
            for (int round = 0; round < 40; round++) {
                for (Socket socket : sockets) {
                    String frame;
                    if (random.nextInt(6) == 0) {
                        frame = new String[]{"", "{", "null", "[]", "42", "\"hello\"", "{\"action\":null}", "{\"action\":{}}"}[random.nextInt(8)];
                    } else {
                        Map<String, Object> body = junkObject(random, 2);
                        body.put("action", actions.get(random.nextInt(actions.size())));
                        if (random.nextBoolean()) {
                            body.put("roomId", random.nextBoolean() ? roomA : random.nextBoolean() ? roomB : junkString(random));
                        }
                        frame = Api.JSON.writeValueAsString(body);
                        if (frame.length() > 30_000) {
                            frame = frame.substring(0, 30_000);
                        }
                        // a text frame is UTF-8: lone surrogates cannot be sent at all
                        frame = new String(frame.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
                    }
                    socket.send(frame);
                    frames++;
                }
            }
            for (Socket socket : sockets) {
                // the socket's frame budget is spent by the fuzz: ping once a second (the refill rate) until one is
                // admitted and answered, checking every frame that arrives meanwhile
                JsonNode pong = null;
                for (int attempt = 0; attempt < 30 && pong == null; attempt++) {
                    socket.send("{\"action\":\"ping\"}");
                    for (JsonNode f : socket.drain(1000)) {
                        assertTrue(!f.has("message") && f.path("event").isTextual(), "a frame outside the protocol: " + f + " (seed " + SEED + ")");
                        if ("error".equals(f.path("event").asText())) {
                            assertTrue(f.path("data").path("code").isTextual() && !"internal_error".equals(f.path("data").path("code").asText()),
                                    "error frame " + f + " (seed " + SEED + ")");
                        }
                        if ("pong".equals(f.path("event").asText())) {
                            pong = f;
                        }
                    }
                }
                assertTrue(pong != null, "no pong after the fuzz within 30 pings (seed " + SEED + ")");
                assertTrue(pong.path("data").path("serverTime").isTextual());
                assertTrue(!socket.closed.isDone(), "the socket stays open");
            }
            System.out.println("FuzzAttackTest: " + frames + " malformed frames over " + RouteTable.WEBSOCKET.size() + " routes");
        } finally {
            sockets.forEach(Socket::close);
        }
    }

    private static String sign(JWSHeader header, JWTClaimsSet claims, com.nimbusds.jose.JWSSigner signer) throws Exception {
        SignedJWT jwt = new SignedJWT(header, claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    @Test
    void theJwtAttackSet_isRefusedOnRestAndOnTheUpgrade() throws Exception {
        JWKSet keys = JWKSet.parse(stack.context().getProperty("sendsar.jwt-keys", String.class).orElseThrow());
        ECKey real = keys.getKeys().get(0).toECKey();
        ECKey attacker = new ECKeyGenerator(Curve.P_256).keyID(real.getKeyID()).generate();
        Date now = new Date();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject("alice").claim("tid", tenantIdA).issueTime(now)
                .expirationTime(Date.from(Instant.now().plusSeconds(600))).jwtID(UUID.randomUUID().toString()).build();
        JWTClaimsSet expired = new JWTClaimsSet.Builder(claims).issueTime(Date.from(Instant.now().minusSeconds(7200)))
                .expirationTime(Date.from(Instant.now().minusSeconds(60))).build();
        String payload = Base64.getUrlEncoder().withoutPadding().encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
        String noneHeader = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String[] valid = aliceToken.split("\\.");
        String bobPayload = Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(Base64.getUrlDecoder().decode(valid[1]), StandardCharsets.UTF_8).replace("\"alice\"", "\"bob\"").getBytes(StandardCharsets.UTF_8));
        String otherTenantPayload = Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(Base64.getUrlDecoder().decode(valid[1]), StandardCharsets.UTF_8).replace(tenantIdA, claim(carolToken, "tid"))
                        .getBytes(StandardCharsets.UTF_8));
        byte[] publicKeyAsSecret = keys.toPublicJWKSet().toString().getBytes(StandardCharsets.UTF_8);

        Map<String, String> attacks = new LinkedHashMap<>();
        attacks.put("alg none", noneHeader + "." + payload + ".");
        attacks.put("alg none, real signature kept", noneHeader + "." + valid[1] + "." + valid[2]);
        attacks.put("HS256 keyed with the public JWK set", sign(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(real.getKeyID()).build(),
                claims, new MACSigner(publicKeyAsSecret)));
        attacks.put("HS256 keyed with the public key's x", sign(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(real.getKeyID()).build(),
                claims, new MACSigner((real.getX().toString() + real.getY().toString()).getBytes(StandardCharsets.UTF_8))));
        attacks.put("attacker's key under the real kid", sign(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(real.getKeyID()).build(),
                claims, new ECDSASigner(attacker)));
        attacks.put("attacker's key, no kid", sign(new JWSHeader.Builder(JWSAlgorithm.ES256).build(), claims, new ECDSASigner(attacker)));
        attacks.put("attacker's key, unknown kid", sign(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("evil").build(), claims,
                new ECDSASigner(attacker)));
        attacks.put("real key, unknown kid", sign(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("evil").type(JOSEObjectType.JWT).build(),
                claims, new ECDSASigner(real)));
        attacks.put("expired", sign(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(real.getKeyID()).type(JOSEObjectType.JWT).build(),
                expired, new ECDSASigner(real)));
        attacks.put("payload changed to another user", valid[0] + "." + bobPayload + "." + valid[2]);
        attacks.put("payload moved to another tenant", valid[0] + "." + otherTenantPayload + "." + valid[2]);
        attacks.put("signature stripped", valid[0] + "." + valid[1] + ".");
        attacks.put("two segments", valid[0] + "." + valid[1]);
        attacks.put("RS256 header over an ES256 signature", Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("{\"alg\":\"RS256\",\"kid\":\"" + real.getKeyID() + "\"}").getBytes(StandardCharsets.UTF_8)) + "." + valid[1] + "." + valid[2]);
        attacks.put("an API key as a bearer token", tenantA.credential());
        attacks.put("garbage", "not.a.jwt");
        attacks.put("huge", "a".repeat(20_000) + "." + "b".repeat(20_000) + ".c");

        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, String> attack : attacks.entrySet()) {
            RawHttp.Response rest = RawHttp.exchange(stack.port(), "GET", "/v1/chat/rooms/" + roomA,
                    Map.of("Authorization", "Bearer " + attack.getValue()), null);
            // a token too big for the request head is refused before any credential check, as API Gateway does
            boolean tooBig = attack.getKey().equals("huge");
            if (tooBig ? rest.status() < 400 || rest.status() >= 500 : rest.status() != 401 || !"unauthorized".equals(rest.json().path("code").asText())) {
                failures.add(attack.getKey() + " on REST: " + rest.status() + " " + rest.body());
            }
            RawHttp.Response upgrade = RawHttp.exchange(stack.port(), "GET", "/ws?token=" + java.net.URLEncoder.encode(attack.getValue(),
                    StandardCharsets.UTF_8), Map.of("Connection", "Upgrade", "Upgrade", "websocket", "Sec-WebSocket-Version", "13",
                    "Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="), null);
            if (tooBig ? upgrade.status() < 400 || upgrade.status() >= 500 : upgrade.status() != 401) {
                failures.add(attack.getKey() + " on the upgrade: " + upgrade.status() + " " + upgrade.body());
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
        assertEquals(200, Api.withToken(stack, aliceToken).get("/chat/rooms/" + roomA).status(), "the real token still works");
    }

    @Test
    void anotherTenantCallingEveryRouteWithThisTenantsIds_getsA4xxAndChangesNothing() throws Exception {
        String before = Api.withToken(stack, aliceToken).get("/chat/rooms/" + roomA + "/messages").raw().body();
        Map<String, String> bodies = Map.of(
                "PATCH", "{\"name\":\"owned\",\"role\":\"OPERATOR\",\"parts\":[{\"type\":\"text\",\"text\":\"owned\"}],\"userId\":\"carol\"}",
                "POST", "{\"userId\":\"carol\",\"senderId\":\"carol\",\"emoji\":\"x\",\"targetRoomIds\":[\"" + roomB + "\"],"
                        + "\"lastReadMessageId\":\"" + messageA + "\",\"lastDeliveredMessageId\":\"" + messageA + "\",\"role\":\"MEMBER\","
                        + "\"parts\":[{\"type\":\"text\",\"text\":\"owned\"}],\"provider\":\"fcm\",\"token\":\"t\",\"platform\":\"web\"}");
        List<String> failures = new ArrayList<>();
        int calls = 0;
        for (RouteTable.HttpRoute route : RouteTable.HTTP) {
            if (!route.path().contains("{")) {
                continue;
            }
            Matcher params = PARAM.matcher(route.path());
            StringBuilder path = new StringBuilder();
            while (params.find()) {
                params.appendReplacement(path, Matcher.quoteReplacement(java.net.URLEncoder.encode(valid(params.group(1)), StandardCharsets.UTF_8)));
            }
            params.appendTail(path);
            for (Map<String, String> intruder : List.of(Map.of("x-api-key", tenantB.credential()), Map.of("Authorization", "Bearer " + carolToken))) {
                Map<String, String> headers = new LinkedHashMap<>(intruder);
                String body = bodies.get(route.method());
                if (body != null) {
                    headers.put("Content-Type", "application/json");
                }
                RawHttp.Response response = RawHttp.exchange(stack.port(), route.method(), path.toString(), headers, body);
                calls++;
                // the caller's own resources ("me") may answer 2xx: they are the intruder's own, not A's
                boolean ownRoute = route.path().startsWith("/v1/users/me/");
                if ((response.status() < 400 && !ownRoute) || response.status() >= 500 || response.body().contains(secret)) {
                    failures.add(route.routeKey() + " as " + intruder.keySet() + ": " + response.status() + " " + response.body());
                }
            }
        }
        assertTrue(failures.isEmpty(), "cross-tenant leaks or changes:\n" + String.join("\n", failures));
        assertEquals(before, Api.withToken(stack, aliceToken).get("/chat/rooms/" + roomA + "/messages").raw().body(),
                "tenant A's timeline is unchanged");
        JsonNode room = tenantA.get("/chat/rooms/" + roomA).body();
        assertEquals("r", room.path("name").asText());
        assertEquals(2, room.path("participants").size(), room.toString());
        assertTrue(Api.withToken(stack, aliceToken).get("/chat/uploads/" + uploadA + "/access").status() != 404, "A's upload is still there");
        System.out.println("FuzzAttackTest: " + calls + " cross-tenant calls");
    }
}
