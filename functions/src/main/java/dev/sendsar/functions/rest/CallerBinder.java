package dev.sendsar.functions.rest;

import dev.sendsar.auth.Authenticator;
import dev.sendsar.domain.Caller;
import io.micronaut.core.convert.ArgumentConversionContext;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.bind.binders.TypedRequestArgumentBinder;
import jakarta.inject.Singleton;

import java.util.Optional;

/** Lets a controller method take a {@link Caller}: the request's credentials, authenticated or a 401. */
@Singleton
public class CallerBinder implements TypedRequestArgumentBinder<Caller> {
    private final Authenticator authenticator;

    public CallerBinder(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    public Argument<Caller> argumentType() {
        return Argument.of(Caller.class);
    }

    @Override
    public BindingResult<Caller> bind(ArgumentConversionContext<Caller> context, HttpRequest<?> request) {
        var headers = request.getHeaders();
        Caller caller = authenticator.authenticate(headers.get("x-admin-key"), headers.get("x-api-key"),
                headers.get("Authorization"));
        return () -> Optional.of(caller);
    }
}
