package dev.sendsar.functions.security;

import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.sendsar.auth.SessionTokenSigner;
import dev.sendsar.domain.Caller;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.jwt.validator.DefaultJwtAuthenticationFactory;
import io.micronaut.security.token.jwt.validator.JwtAuthenticationFactory;
import jakarta.inject.Singleton;

import java.text.ParseException;
import java.util.Optional;

/** A validated session token is the {@link Roles#USER} of its tenant: roles never come from the token itself. */
@Singleton
@Replaces(DefaultJwtAuthenticationFactory.class)
public class SessionAuthentication implements JwtAuthenticationFactory {

    @Override
    public Optional<Authentication> createAuthentication(JWT token) {
        try {
            JWTClaimsSet claims = token.getJWTClaimsSet();
            return Optional.of(Credentials.authentication(
                    Caller.user(claims.getStringClaim(SessionTokenSigner.TENANT_CLAIM), claims.getSubject())));
        } catch (ParseException e) {
            return Optional.empty();
        }
    }
}
