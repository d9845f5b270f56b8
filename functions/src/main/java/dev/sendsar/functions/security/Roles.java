package dev.sendsar.functions.security;

/**
 * The roles of the three credential kinds, as controller methods name them in {@code @Secured}. A route names every
 * kind that may call it; a route that names none is refused to everyone (and fails {@code RouteRulesTest}).
 */
public final class Roles {
    /** The tenant's server: {@code x-api-key}. */
    public static final String API_KEY = "API_KEY";
    /** An end user: {@code Authorization: Bearer <session JWT>}. */
    public static final String USER = "USER";
    /** The platform operator: {@code x-admin-key}. */
    public static final String ADMIN = "ADMIN";

    private Roles() {
    }
}
