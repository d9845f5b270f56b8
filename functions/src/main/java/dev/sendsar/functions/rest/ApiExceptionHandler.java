package dev.sendsar.functions.rest;

import dev.sendsar.error.ApiException;
import dev.sendsar.functions.lambda.FunctionRoute;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** Maps the product's one error type to its JSON response: the REST edge of {@link ApiException}. */
@Produces
@Singleton
@Requires(classes = {ApiException.class, ExceptionHandler.class})
@Requires(condition = FunctionRoute.class)
public class ApiExceptionHandler implements ExceptionHandler<ApiException, HttpResponse<ErrorBody>> {

    @Override
    public HttpResponse<ErrorBody> handle(HttpRequest request, ApiException e) {
        MutableHttpResponse<ErrorBody> response = HttpResponse.<ErrorBody>status(io.micronaut.http.HttpStatus.valueOf(e.status()))
                .body(ErrorBody.of(e));
        if (e.status() == 429) {
            response.header("Retry-After", Long.toString(Math.max(1, e.retryAfterSeconds())));
        }
        return response;
    }
}
