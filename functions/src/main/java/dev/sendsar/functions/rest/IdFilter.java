package dev.sendsar.functions.rest;

import dev.sendsar.error.ApiException;
import dev.sendsar.error.Violations;
import dev.sendsar.functions.lambda.FunctionRoute;
import dev.sendsar.routes.RouteTable;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;

import java.util.List;
import java.util.Map;

/**
 * Every id in a request's path or query is checked here, once, before any service or storage sees it: an id the
 * contract cannot have (over 128 characters, a character outside {@code A-Z a-z 0-9 _ . : @ -}, a NUL) is a 400
 * {@code validation_failed} naming the parameter, never a storage error. Path parameters come from the route table
 * (the same parameters API Gateway hands the function); query parameters named {@code …Id} are ids too. A device
 * token in the path is the provider's string, not ours: it is only bounded (1…4096 characters, no control
 * characters), as its registration is. Ids in bodies get the same rule in {@link RestFunction} ({@link BodyIds}).
 */
@Requires(condition = FunctionRoute.class)
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class IdFilter {
    static final int MAX_DEVICE_TOKEN_LENGTH = 4096;

    @RequestFilter
    @Nullable
    public HttpResponse<ErrorBody> checkIds(HttpRequest<?> request) {
        Violations violations = new Violations();
        // HEAD is served by the GET route
        String method = "HEAD".equals(request.getMethodName()) ? "GET" : request.getMethodName();
        RouteTable.match(method, request.getUri().getRawPath())
                .ifPresent(match -> match.pathParameters().forEach((name, value) -> check(violations, name, value)));
        for (Map.Entry<String, List<String>> query : request.getParameters().asMap().entrySet()) {
            if (query.getKey().endsWith("Id")) {
                query.getValue().forEach(value -> violations.id(value, query.getKey()));
            }
        }
        try {
            violations.throwIfAny();
            return null;
        } catch (ApiException invalid) {
            return HttpResponse.<ErrorBody>status(HttpStatus.BAD_REQUEST).body(ErrorBody.of(invalid));
        }
    }

    private static void check(Violations violations, String name, String value) {
        if ("token".equals(name)) {
            violations.check(value.length() <= MAX_DEVICE_TOKEN_LENGTH && value.chars().noneMatch(Character::isISOControl),
                    name, "must be 1 to " + MAX_DEVICE_TOKEN_LENGTH + " characters without control characters");
        } else {
            violations.id(value, name);
        }
    }
}
