package dev.sendsar.functions.security;

import dev.sendsar.domain.Caller;
import io.micronaut.security.authentication.Authentication;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A {@link Caller} as a Micronaut Security {@link Authentication} and back: one role per credential kind. */
public final class Credentials {
    private static final String TENANT = "tenantId";
    private static final String USER = "userId";
    private static final String KEY = "keyId";

    private Credentials() {
    }

    public static Authentication authentication(Caller caller) {
        Map<String, Object> attributes = new HashMap<>();
        putIfSet(attributes, TENANT, caller.tenantId());
        putIfSet(attributes, USER, caller.userId());
        putIfSet(attributes, KEY, caller.keyId());
        String role = switch (caller.kind()) {
            case ADMIN -> Roles.ADMIN;
            case API_KEY -> Roles.API_KEY;
            case USER -> Roles.USER;
        };
        return Authentication.build(caller.getName(), List.of(role), attributes);
    }

    public static Caller caller(Authentication authentication) {
        Map<String, Object> attributes = authentication.getAttributes();
        var roles = authentication.getRoles();
        if (roles.contains(Roles.ADMIN)) {
            return Caller.admin();
        }
        if (roles.contains(Roles.API_KEY)) {
            return Caller.apiKey((String) attributes.get(TENANT), (String) attributes.get(KEY));
        }
        if (roles.contains(Roles.USER)) {
            return Caller.user((String) attributes.get(TENANT), (String) attributes.get(USER));
        }
        throw new IllegalStateException("An authentication without a Sendsar role");
    }

    private static void putIfSet(Map<String, Object> attributes, String name, String value) {
        if (value != null) {
            attributes.put(name, value);
        }
    }
}
