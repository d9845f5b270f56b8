package dev.sendsar.local;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The API reference, served by the local runtime only (never by the functions, never deployed): {@code GET /v1/docs}
 * is a Scalar page, {@code /v1/docs/openapi.yml} the OpenAPI document micronaut-openapi generates from the
 * controllers at compile time, {@code /v1/docs/scalar/standalone.js} Scalar itself, copied at build time from the
 * micronaut-openapi jar, so the page works offline.
 */
final class ApiDocs {
    static final String PAGE = "/v1/docs";
    static final String DOCUMENT = "/v1/docs/openapi.yml";
    static final String SCRIPT = "/v1/docs/scalar/standalone.js";

    private record Asset(String resource, String contentType) {
    }

    private static final Map<String, Asset> ASSETS = Map.of(
            PAGE, new Asset("docs/index.html", "text/html; charset=utf-8"),
            PAGE + "/", new Asset("docs/index.html", "text/html; charset=utf-8"),
            DOCUMENT, new Asset("META-INF/swagger/sendsar.yml", "application/yaml; charset=utf-8"),
            SCRIPT, new Asset("docs/scalar/standalone.js", "text/javascript; charset=utf-8"));

    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    /** The response for a docs path, or {@code null} when the path is not one (it then goes to the REST function). */
    FullHttpResponse respond(HttpMethod method, String path) {
        Asset asset = ASSETS.get(path);
        if (asset == null || !(HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method))) {
            return null;
        }
        byte[] body = cache.computeIfAbsent(asset.resource(), ApiDocs::read);
        FullHttpResponse response;
        if (body.length == 0) {
            response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND,
                    Unpooled.copiedBuffer("{\"message\":\"" + asset.resource() + " is not on the classpath: build the functions and localstack modules\"}",
                            java.nio.charset.StandardCharsets.UTF_8));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
            return response;
        }
        response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                HttpMethod.HEAD.equals(method) ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, asset.contentType());
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        return response;
    }

    private static byte[] read(String resource) {
        try (InputStream in = ApiDocs.class.getClassLoader().getResourceAsStream(resource)) {
            return in == null ? new byte[0] : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
