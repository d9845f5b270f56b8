package dev.sendsar.functions.security;

import dev.sendsar.domain.Caller;
import dev.sendsar.error.ApiException;
import io.micronaut.core.convert.ArgumentConversionContext;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.bind.binders.TypedRequestArgumentBinder;
import io.micronaut.security.authentication.Authentication;
import jakarta.inject.Singleton;

import java.util.Optional;

/**
 * Lets a controller method take a {@link Caller}: the request's authentication, which Micronaut Security's filter
 * established and the route's rule accepted before the method runs.
 */
@Singleton
public class CallerBinder implements TypedRequestArgumentBinder<Caller> {

    @Override
    public Argument<Caller> argumentType() {
        return Argument.of(Caller.class);
    }

    @Override
    public BindingResult<Caller> bind(ArgumentConversionContext<Caller> context, HttpRequest<?> request) {
        Caller caller = request.getUserPrincipal(Authentication.class).map(Credentials::caller)
                .orElseThrow(() -> ApiException.unauthorized("Send an x-api-key header or an Authorization: Bearer session token"));
        return () -> Optional.of(caller);
    }
}
