package dev.sendsar.domain;

import dev.sendsar.error.ErrorCode;
import dev.sendsar.error.ApiException;

/**
 * Who is making a request: the platform operator, an integrator's server (API key, may act as any user of its
 * tenant) or an end user (session JWT, may act only as itself). Which kinds may call a route is the route's rule
 * (functions' {@code @Secured}); what is left here are the rules that depend on the request.
 *
 * @param keyId the API key's id, for an API-key caller (session tokens it mints carry it); null otherwise
 */
public record Caller(Kind kind, String tenantId, String userId, String keyId) implements java.security.Principal {
    public enum Kind { ADMIN, API_KEY, USER }

    /**
     * The user for a session token, the tenant for an API key, {@code admin} for the operator. (Being a
     * {@link java.security.Principal} also keeps this argument out of the generated API reference.)
     */
    @Override
    public String getName() {
        return switch (kind) {
            case USER -> userId;
            case API_KEY -> tenantId;
            case ADMIN -> "admin";
        };
    }

    public static Caller admin() {
        return new Caller(Kind.ADMIN, null, null, null);
    }

    public static Caller apiKey(String tenantId, String keyId) {
        return new Caller(Kind.API_KEY, tenantId, null, keyId);
    }

    public static Caller user(String tenantId, String userId) {
        return new Caller(Kind.USER, tenantId, userId, null);
    }

    public boolean isUser() {
        return kind == Kind.USER;
    }

    /**
     * The user this request acts as. A JWT caller acts as itself (naming anyone else is a 403); an API key acts as
     * the named user, which may be absent ({@code null}).
     */
    public String actingAs(String requestedUserId) {
        if (kind == Kind.USER) {
            if (requestedUserId != null && !requestedUserId.equals(userId)) {
                throw ApiException.cannotActAsOtherUser();
            }
            return userId;
        }
        return requestedUserId;
    }

    /** Like {@link #actingAs} but the API key must name a user, in {@code field}. */
    public String requireActingAs(String requestedUserId, String field) {
        String acting = actingAs(requestedUserId);
        if (acting == null || acting.isBlank()) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "The request is not valid",
                    java.util.List.of(new dev.sendsar.error.FieldError(field, "is required with an API key")));
        }
        return acting;
    }
}
