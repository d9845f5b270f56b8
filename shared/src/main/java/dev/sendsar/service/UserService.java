package dev.sendsar.service;

import dev.sendsar.auth.SessionTokenSigner;
import dev.sendsar.error.ErrorCode;
import dev.sendsar.config.SendsarConfig;
import dev.sendsar.domain.Caller;
import dev.sendsar.domain.RateLimitedAction;
import dev.sendsar.domain.Times;
import dev.sendsar.domain.User;
import dev.sendsar.error.ApiException;
import dev.sendsar.error.Violations;
import dev.sendsar.ports.UserRepository;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;

import java.util.Map;

/** Users (the integrator's own ids) and the session tokens minted for them. */
@Singleton
public class UserService {
    static final int DEFAULT_TOKEN_SECONDS = 3600;

    @Serdeable
    public record UpsertUserRequest(String id, String username, String avatarUrl, Map<String, Object> metadata,
                                    String appCode) {
    }

    @Serdeable
    public record TokenRequest(String userId, Integer expiresIn, String displayName) {
    }

    @Serdeable
    public record TokenResponse(String token, String expiresAt, String userId, String wsUrl) {
    }

    private final UserRepository users;
    private final SessionTokenSigner sessionTokens;
    private final SendsarConfig config;
    private final RateLimitService rateLimits;

    public UserService(UserRepository users, SessionTokenSigner sessionTokens, SendsarConfig config, RateLimitService rateLimits) {
        this.users = users;
        this.rateLimits = rateLimits;
        this.sessionTokens = sessionTokens;
        this.config = config;
    }

    public UserRepository.Upserted upsert(Caller caller, UpsertUserRequest request) {
        rateLimits.check(caller, null, RateLimitedAction.OTHER_WRITE);
        if (request == null) {
            throw ApiException.missingBody();
        }
        new Violations().id(request.id(), "id")
                .maxLength(request.username(), 200, "username")
                .maxLength(request.avatarUrl(), 2048, "avatarUrl")
                .maxLength(request.appCode(), 128, "appCode")
                .metadata(request.metadata(), "metadata")
                .throwIfAny();
        return users.upsert(caller.tenantId(), request.id(),
                new UserRepository.UserFields(request.username(), request.avatarUrl(), request.metadata(), request.appCode()));
    }

    /** Any user of the caller's own tenant: clients need each other's display names. */
    public User get(Caller caller, String userId) {
        return users.find(caller.tenantId(), userId).orElseThrow(UserService::userNotFound);
    }

    public TokenResponse mintToken(Caller caller, TokenRequest request) {
        rateLimits.check(caller, null, RateLimitedAction.OTHER_WRITE);
        if (request == null) {
            throw ApiException.missingBody();
        }
        int ttl = request.expiresIn() == null ? DEFAULT_TOKEN_SECONDS : request.expiresIn();
        new Violations().id(request.userId(), "userId")
                .check(ttl >= 60 && ttl <= 86_400, "expiresIn", "must be between 60 and 86400 seconds")
                .maxLength(request.displayName(), 200, "displayName")
                .throwIfAny();
        User user = users.find(caller.tenantId(), request.userId()).orElseThrow(UserService::userNotFound);
        if (request.displayName() != null && !request.displayName().equals(user.username())) {
            users.upsert(caller.tenantId(), user.id(), new UserRepository.UserFields(request.displayName(), null, null, null));
        }
        SessionTokenSigner.Issued issued = sessionTokens.issue(caller.tenantId(), user.id(), caller.keyId(), ttl);
        return new TokenResponse(issued.token(), Times.format(issued.expiresAt()), user.id(), config.getWsUrl());
    }

    static ApiException userNotFound() {
        return new ApiException(ErrorCode.USER_NOT_FOUND, "User not found: upsert it with POST /v1/users first");
    }

}
