package dev.sendsar.service;

import dev.sendsar.error.ErrorCode;
import dev.sendsar.auth.Secrets;
import dev.sendsar.domain.Caller;
import dev.sendsar.domain.RateLimitedAction;
import dev.sendsar.domain.DeviceToken;
import dev.sendsar.domain.Times;
import dev.sendsar.error.ApiException;
import dev.sendsar.error.Violations;
import dev.sendsar.json.Json;
import dev.sendsar.ports.DeviceTokenRepository;
import dev.sendsar.ports.UserRepository;
import dev.sendsar.push.WebPushSubscription;
import dev.sendsar.webhooks.UrlGuard;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Registering and removing users' push tokens. */
@Singleton
public class DeviceTokenService {
    static final Set<String> PROVIDERS = Set.of("FCM", "APNS", "ONESIGNAL", "WEBPUSH");
    static final Set<String> PLATFORMS = Set.of("ios", "android", "web");
    /** Tokens a user keeps; registering one more evicts the oldest (old devices rarely unregister). */
    static final int MAX_TOKENS_PER_USER = 20;

    @Serdeable
    public record RegisterRequest(String provider, String token, String platform) {
    }

    private final DeviceTokenRepository tokens;
    private final UserRepository users;
    private final RateLimitService rateLimits;
    private final UrlGuard guard;
    private final Json json;

    public DeviceTokenService(DeviceTokenRepository tokens, UserRepository users, RateLimitService rateLimits,
                              UrlGuard guard, Json json) {
        this.tokens = tokens;
        this.users = users;
        this.rateLimits = rateLimits;
        this.guard = guard;
        this.json = json;
    }

    /**
     * {@code userId} null means the session user itself ({@code /users/me/…}); the routes' rules let only a session
     * token call that one and only the API key name a user.
     */
    public DeviceToken register(Caller caller, String userId, RegisterRequest request) {
        String owner = caller.actingAs(userId);
        rateLimits.check(caller, owner, RateLimitedAction.OTHER_WRITE);
        if (request == null) {
            throw ApiException.missingBody();
        }
        new Violations()
                .check(request.provider() != null && PROVIDERS.contains(request.provider()), "provider", "must be one of FCM, APNS, ONESIGNAL, WEBPUSH")
                .check(request.token() != null && !request.token().isBlank() && request.token().length() <= 4096, "token", "must be 1 to 4096 characters")
                .check(request.platform() == null || PLATFORMS.contains(request.platform()), "platform", "must be ios, android or web")
                .throwIfAny();
        if (request.provider().equals("WEBPUSH")) {
            checkSubscription(request.token());
        }
        users.find(caller.tenantId(), owner).orElseThrow(UserService::userNotFound);
        DeviceToken token = new DeviceToken(idOf(request.token()), request.provider(), request.token(), request.platform(), Times.now());
        tokens.save(caller.tenantId(), owner, token);
        List<DeviceToken> all = tokens.ofUser(caller.tenantId(), owner);
        all.stream().filter(t -> !t.id().equals(token.id()))
                .sorted(Comparator.comparing(DeviceToken::createdAt))
                .limit(Math.max(0, all.size() - MAX_TOKENS_PER_USER))
                .forEach(oldest -> tokens.delete(caller.tenantId(), owner, oldest.id()));
        return token;
    }

    /**
     * A Web Push token is a subscription whose endpoint we will POST to: an https URL on a public address (the SSRF
     * guard of webhooks), else 400 {@code invalid_push_endpoint}.
     */
    private void checkSubscription(String token) {
        WebPushSubscription subscription = WebPushSubscription.parse(json, token);
        new Violations().check(subscription != null, "token",
                "must be the browser's PushSubscription as JSON: {endpoint, keys: {p256dh, auth}}").throwIfAny();
        guard.check(subscription.endpoint(), UrlGuard.Target.WEB_PUSH);
    }

    /** Removing a token that is not there is not an error: the client's goal holds either way. */
    public void unregister(Caller caller, String token) {
        rateLimits.check(caller, caller.userId(), RateLimitedAction.OTHER_WRITE);
        if (token == null || token.isBlank()) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "token is required");
        }
        tokens.delete(caller.tenantId(), caller.userId(), idOf(token));
    }

    /**
     * A name-based UUID of the token: registering the same token twice gives the same id, and storage keys hold a
     * hash, never the token itself.
     */
    static String idOf(String token) {
        return UUID.nameUUIDFromBytes(Secrets.sha256(token).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
