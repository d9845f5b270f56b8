package dev.sendsar.functions.rest;

import dev.sendsar.error.ErrorCode;
import dev.sendsar.functions.lambda.FunctionRoute;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.core.annotation.Nullable;

/** Refuses request bodies over 256 KB before anything parses them. */
@Requires(condition = FunctionRoute.class)
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class BodySizeFilter {
    static final long MAX_BODY_BYTES = 256 * 1024;

    @RequestFilter
    @Nullable
    public HttpResponse<ErrorBody> limit(HttpRequest<?> request) {
        if (request.getContentLength() > MAX_BODY_BYTES) {
            return HttpResponse.<ErrorBody>status(HttpStatus.REQUEST_ENTITY_TOO_LARGE)
                    .body(ErrorBody.of(ErrorCode.PAYLOAD_TOO_LARGE, "The request body is over 256 KB"));
        }
        return null;
    }
}
