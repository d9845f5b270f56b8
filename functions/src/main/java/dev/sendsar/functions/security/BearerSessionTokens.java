package dev.sendsar.functions.security;

import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.validator.TokenValidator;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;

/**
 * REST's {@code Authorization: Bearer} session tokens, read by Micronaut Security's bearer token reader and checked by
 * {@link SessionTokenValidation}; a token it refuses leaves the request unauthenticated (a 401 from the route's rule).
 */
@Singleton
public class BearerSessionTokens implements TokenValidator<HttpRequest<?>> {
    private final SessionTokenValidation sessionTokens;

    public BearerSessionTokens(SessionTokenValidation sessionTokens) {
        this.sessionTokens = sessionTokens;
    }

    @Override
    public Publisher<Authentication> validateToken(String token, HttpRequest<?> request) {
        return sessionTokens.caller(token).map(Credentials::authentication).map(Publishers::just).orElseGet(Publishers::empty);
    }
}
