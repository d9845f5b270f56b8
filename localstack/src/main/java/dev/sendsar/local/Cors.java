package dev.sendsar.local;

import dev.sendsar.routes.RouteTable;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/**
 * The HTTP API's CORS configuration (HttpApiRoutes in the CDK stack), as API Gateway applies it: it answers a
 * preflight itself, before any route, and adds the allow-origin header to every response. Locally every origin is
 * allowed (a page on any localhost port may call the API); the methods, headers and max age are the deployed ones.
 */
final class Cors {
    static final String ALLOW_METHODS = "GET,POST,PUT,PATCH,DELETE";
    static final String ALLOW_HEADERS = String.join(",", RouteTable.CORS_ALLOW_HEADERS);
    static final String MAX_AGE_SECONDS = "3600";

    private Cors() {
    }

    static boolean isPreflight(FullHttpRequest request) {
        return HttpMethod.OPTIONS.equals(request.method()) && request.headers().contains(HttpHeaderNames.ORIGIN)
                && request.headers().contains(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD);
    }

    static FullHttpResponse preflight(FullHttpRequest request) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT);
        response.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, ALLOW_METHODS)
                .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, ALLOW_HEADERS)
                .set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, MAX_AGE_SECONDS);
        return decorate(request, response);
    }

    /** Adds the allow-origin header when the request came from a page of another origin. */
    static FullHttpResponse decorate(FullHttpRequest request, FullHttpResponse response) {
        if (request.headers().contains(HttpHeaderNames.ORIGIN)) {
            response.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*")
                    .set(HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, "retry-after");
        }
        return response;
    }
}
