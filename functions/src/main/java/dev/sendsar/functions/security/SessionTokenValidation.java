package dev.sendsar.functions.security;

import dev.sendsar.domain.Caller;
import dev.sendsar.error.ApiException;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import com.nimbusds.jwt.JWT;
import io.micronaut.security.token.jwt.validator.ReactiveJsonWebTokenValidator;
import jakarta.inject.Singleton;
import reactor.core.publisher.Mono;

/**
 * A session token outside an HTTP request, for {@code $connect}'s {@code ?token=}: the very micronaut-security-jwt
 * validator REST's bearer tokens go through ({@link SessionKeys}, {@link SessionClaims}, {@link SessionAuthentication}),
 * so a rule changed there holds on both.
 */
@Singleton
public class SessionTokenValidation {
    /** A session token is ~450 characters; a much longer one is not worth parsing. */
    private static final int MAX_TOKEN_LENGTH = 4096;

    private final ReactiveJsonWebTokenValidator<JWT, HttpRequest<?>> validator;

    public SessionTokenValidation(ReactiveJsonWebTokenValidator<JWT, HttpRequest<?>> validator) {
        this.validator = validator;
    }

    /** The session user of a valid token; a 401 {@code unauthorized} for anything else, an API key included. */
    public Caller user(String token) {
        if (token == null || token.isBlank() || token.length() > MAX_TOKEN_LENGTH) {
            throw ApiException.unauthorized("Connect with ?token=<session JWT>");
        }
        Authentication authentication = Mono.from(validator.validateToken(token, null)).block();
        if (authentication == null || !authentication.getRoles().contains(Roles.USER)) {
            throw ApiException.unauthorized("The session token is invalid or expired");
        }
        return Credentials.caller(authentication);
    }
}
