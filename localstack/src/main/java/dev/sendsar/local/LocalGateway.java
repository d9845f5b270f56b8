package dev.sendsar.local;

import dev.sendsar.error.ErrorCode;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import dev.sendsar.routes.RouteTable;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * API Gateway on one local port: the HTTP API (payload 2.0 events to the REST function), the WebSocket API
 * ({@code $connect} holds the upgrade, frames are routed on {@code $request.body.action}, {@code $disconnect} on
 * close) and the {@code @connections} management API the functions post through.
 */
final class LocalGateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalGateway.class);
    private static final Logger ACCESS = LoggerFactory.getLogger("dev.sendsar.access");
    private static final Pattern CONNECTIONS = Pattern.compile(".*/@connections/([^/]+)$");
    static final java.time.Duration IDLE_TIMEOUT = java.time.Duration.ofMinutes(10);
    static final java.time.Duration MAX_CONNECTION_AGE = java.time.Duration.ofHours(2);
    static final int MAX_FRAME_BYTES = 32 * 1024;
    static final int MAX_MESSAGE_BYTES = 128 * 1024;
    static final int MAX_POST_BYTES = 131_072;
    /** API Gateway's HTTP API payload limit. */
    static final int MAX_HTTP_BODY_BYTES = 10 * 1024 * 1024;
    /** API Gateway's integration timeout: what a stopping gateway waits at most for requests in flight. */
    static final java.time.Duration INTEGRATION_TIMEOUT = java.time.Duration.ofSeconds(30);
    /** How long an invocation waits for its answer to be written (a client that reads nothing holds it no longer). */
    private static final java.time.Duration ANSWER_WRITE_WAIT = java.time.Duration.ofSeconds(5);
    private static final ObjectMapper JSON_WRITER = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The functions behind the gateway: what Lambda would invoke. */
    interface Functions {
        APIGatewayV2HTTPResponse http(APIGatewayV2HTTPEvent event);

        APIGatewayV2WebSocketResponse webSocket(RouteTable.WsRoute route, APIGatewayV2WebSocketEvent event);
    }

    private record Socket(Channel channel, long connectedAt, String sourceIp, String userAgent, long[] lastActiveAt) {
    }

    private final Functions functions;
    private final String wsPath;
    private final ApiDocs apiDocs = new ApiDocs();
    private final Map<String, Socket> sockets = new ConcurrentHashMap<>();
    private final ExecutorService invocations = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "lambda");
        t.setDaemon(true);
        return t;
    });
    private final EventLoopGroup boss = new NioEventLoopGroup(1);
    private final EventLoopGroup workers = new NioEventLoopGroup(2);
    private final List<Channel> listeners = new ArrayList<>();
    /** Requests and frames handed to a function and not yet answered. */
    private final AtomicInteger inFlight = new AtomicInteger();
    /** TCP connections accepted since the start: clients', and the functions' {@code @connections} posts. */
    private final AtomicLong accepted = new AtomicLong();
    private volatile boolean stopping;
    /** Held while an invocation is counted and handed over, and while stopping begins: see {@link #invoke}. */
    private final Object handOver = new Object();
    private int port;

    LocalGateway(Functions functions, String wsPath) {
        this.functions = functions;
        this.wsPath = wsPath;
    }

    /** Listens on loopback (IPv4, and IPv6 when the machine has it) at {@code port}, 0 for any free port. */
    LocalGateway start(int requestedPort) throws InterruptedException {
        ServerBootstrap bootstrap = new ServerBootstrap().group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        accepted.incrementAndGet();
                        ch.pipeline().addLast(new HttpServerCodec(), new Aggregator(), new Handler());
                    }
                });
        Channel v4 = bootstrap.bind(Emulators.LOOPBACK, requestedPort).sync().channel();
        listeners.add(v4);
        port = ((InetSocketAddress) v4.localAddress()).getPort();
        try {
            listeners.add(bootstrap.bind("::1", port).sync().channel());
        } catch (Exception noIpv6) {
            LOG.debug("No IPv6 loopback: listening on 127.0.0.1 only");
        }
        return this;
    }

    int port() {
        return port;
    }

    /** TCP connections accepted since the start. */
    long connectionsAccepted() {
        return accepted.get();
    }

    /** Whether no request or frame is with a function right now. */
    boolean idle() {
        return inFlight.get() == 0;
    }

    /**
     * Stops as a deployment drains: no new connections, new requests on open ones get 503, what is in flight is
     * finished and answered (up to the integration timeout), then the sockets close with 1001 "Going away".
     */
    @Override
    public void close() {
        synchronized (handOver) {
            stopping = true;
        }
        invocations.shutdown();
        try {
            if (!invocations.awaitTermination(INTEGRATION_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                LOG.warn("Requests still in flight after {} s: stopping anyway", INTEGRATION_TIMEOUT.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // the listeners stay open while draining: the functions in flight still post to @connections through them
        listeners.forEach(listener -> listener.close().syncUninterruptibly());
        sockets.values().forEach(s -> s.channel().writeAndFlush(
                new CloseWebSocketFrame(WebSocketCloseStatus.ENDPOINT_UNAVAILABLE, "Going away")).addListener(ChannelFutureListener.CLOSE));
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        invocations.shutdownNow();
    }

    /**
     * Runs a function invocation, counted as in flight; once stopping, there is nothing more to run. Counting and
     * handing over happen together, before or after stopping begins: an invocation counted is never refused by the
     * executor, so whatever {@link #idle()} saw in flight is finished and answered.
     */
    private boolean invoke(Runnable invocation) {
        synchronized (handOver) {
            if (stopping) {
                return false;
            }
            inFlight.incrementAndGet();
            invocations.execute(() -> {
                try {
                    invocation.run();
                } finally {
                    inFlight.decrementAndGet();
                }
            });
            return true;
        }
    }

    /** Bodies over API Gateway's 10 MB are refused with 413 in the product's error envelope. */
    private static final class Aggregator extends HttpObjectAggregator {
        Aggregator() {
            super(MAX_HTTP_BODY_BYTES);
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
            FullHttpResponse response = error(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, ErrorCode.PAYLOAD_TOO_LARGE,
                    "The request body is over " + MAX_HTTP_BODY_BYTES + " bytes");
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            HttpUtil.setContentLength(response, response.content().readableBytes());
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** API Gateway connection ids look like {@code L0SM9cOFvHcCIhw=}. */
    private static String newConnectionId() {
        byte[] bytes = new byte[10];
        RANDOM.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    private final class Handler extends SimpleChannelInboundHandler<Object> {
        private String connectionId;
        private long connectedAt;
        private String sourceIp;
        private WebSocketServerHandshaker handshaker;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof FullHttpRequest request) {
                String path = new QueryStringDecoder(request.uri()).rawPath();
                sourceIp = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress().getHostAddress();
                Matcher management = CONNECTIONS.matcher(path);
                if (stopping && !management.matches()) {
                    stoppingAnswer(ctx);
                } else if (!request.decoderResult().isSuccess() || !validEscapes(request.uri())) {
                    // API Gateway answers a request it cannot parse itself, before any route or function
                    respond(ctx, request, error(HttpResponseStatus.BAD_REQUEST, ErrorCode.MALFORMED_REQUEST,
                            "The request line or its %-escapes are not valid"));
                } else if (isUpgrade(request)) {
                    if (path.equals(wsPath)) {
                        connect(ctx, request.retain());
                    } else {
                        respond(ctx, request, error(HttpResponseStatus.NOT_FOUND, ErrorCode.NOT_FOUND, "No such route: " + path));
                    }
                } else if (Cors.isPreflight(request)) {
                    respond(ctx, request, Cors.preflight(request));
                } else {
                    FullHttpResponse docs = apiDocs.respond(request.method(), path);
                    if (docs != null) {
                        respond(ctx, request, docs);
                    } else if (management.matches()) {
                        manage(ctx, request, QueryStringDecoder.decodeComponent(management.group(1)));
                    } else {
                        FullHttpRequest retained = request.retain();
                        if (!invoke(() -> invokeHttp(ctx, retained))) {
                            retained.release();
                            stoppingAnswer(ctx); // stopping began since the check above
                        }
                    }
                }
            } else if (msg instanceof WebSocketFrame frame) {
                frame(ctx, frame);
            }
        }

        private void stoppingAnswer(ChannelHandlerContext ctx) {
            FullHttpResponse unavailable = error(HttpResponseStatus.SERVICE_UNAVAILABLE, ErrorCode.SERVICE_UNAVAILABLE,
                    "The server is stopping: retry shortly");
            unavailable.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(withContentLength(unavailable)).addListener(ChannelFutureListener.CLOSE);
        }

        private boolean isUpgrade(FullHttpRequest request) {
            return request.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)
                    && request.headers().contains(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
        }

        private void invokeHttp(ChannelHandlerContext ctx, FullHttpRequest request) {
            try {
                APIGatewayV2HTTPResponse response;
                long started = System.nanoTime();
                APIGatewayV2HTTPEvent event;
                try {
                    event = ApiGatewayEvents.http(request, sourceIp);
                    response = functions.http(event);
                    // like API Gateway's access log: the route key, never the raw path (it can hold a token)
                    ACCESS.info("{} {} {} ms", "$default".equals(event.getRouteKey()) ? "$default " + event.getRequestContext().getHttp().getMethod()
                            : event.getRouteKey(), response.getStatusCode(), (System.nanoTime() - started) / 1_000_000);
                } catch (RuntimeException e) {
                    LOG.error("REST function failed", e);
                    answer(ctx, request, Cors.decorate(request, error(HttpResponseStatus.INTERNAL_SERVER_ERROR,
                            ErrorCode.INTERNAL_ERROR, "Internal server error")));
                    return;
                }
                byte[] body = response.getBody() == null ? new byte[0]
                        : response.getIsBase64Encoded() ? Base64.getDecoder().decode(response.getBody())
                        : response.getBody().getBytes(StandardCharsets.UTF_8);
                FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                        HttpResponseStatus.valueOf(response.getStatusCode()), Unpooled.wrappedBuffer(body));
                if (response.getHeaders() != null) {
                    response.getHeaders().forEach((k, v) -> out.headers().set(k, v));
                }
                if (response.getMultiValueHeaders() != null) {
                    response.getMultiValueHeaders().forEach((k, v) -> out.headers().set(k, v));
                }
                if (response.getCookies() != null) {
                    response.getCookies().forEach(c -> out.headers().add(HttpHeaderNames.SET_COOKIE, c));
                }
                if (body.length > 0 && !out.headers().contains(HttpHeaderNames.CONTENT_TYPE)) {
                    out.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
                }
                answer(ctx, request, Cors.decorate(request, out));
            } finally {
                request.release();
            }
        }

        private void connect(ChannelHandlerContext ctx, FullHttpRequest request) {
            String id = newConnectionId();
            long at = System.currentTimeMillis();
            APIGatewayV2WebSocketEvent event = ApiGatewayEvents.connect(request, id, at, sourceIp);
            boolean started = invoke(() -> {
                APIGatewayV2WebSocketResponse response;
                try {
                    response = functions.webSocket(RouteTable.websocket("$connect").orElseThrow(), event);
                } catch (RuntimeException e) {
                    LOG.error("$connect failed", e);
                    response = new APIGatewayV2WebSocketResponse();
                    response.setStatusCode(500);
                }
                APIGatewayV2WebSocketResponse outcome = response;
                ctx.executor().execute(() -> {
                    try {
                        if (outcome.getStatusCode() >= 200 && outcome.getStatusCode() < 300) {
                            upgrade(ctx, request, id, at);
                        } else {
                            FullHttpResponse refused = refusal(outcome);
                            refused.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                            ctx.writeAndFlush(withContentLength(refused)).addListener(ChannelFutureListener.CLOSE);
                        }
                    } finally {
                        request.release();
                    }
                });
            });
            if (!started) {
                request.release();
                ctx.close();
            }
        }

        private void upgrade(ChannelHandlerContext ctx, FullHttpRequest request, String id, long at) {
            String location = "ws://" + ApiGatewayEvents.hostOf(request) + wsPath;
            handshaker = new WebSocketServerHandshakerFactory(location, null, true, MAX_FRAME_BYTES).newHandshaker(request);
            if (handshaker == null) {
                WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
                return;
            }
            handshaker.handshake(ctx.channel(), request).addListener(done -> {
                if (done.isSuccess()) {
                    ctx.pipeline().addBefore(ctx.name(), "ws-aggregator", new WebSocketFrameAggregator(MAX_MESSAGE_BYTES));
                    ctx.pipeline().addBefore("ws-aggregator", "ws-idle", new IdleStateHandler(0, 0, IDLE_TIMEOUT.toSeconds(), TimeUnit.SECONDS));
                    ctx.executor().schedule(() -> goAway(ctx), MAX_CONNECTION_AGE.toSeconds(), TimeUnit.SECONDS);
                    connectionId = id;
                    connectedAt = at;
                    sockets.put(id, new Socket(ctx.channel(), at, sourceIp,
                            request.headers().get(HttpHeaderNames.USER_AGENT), new long[]{at}));
                }
            });
        }

        private void frame(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame instanceof CloseWebSocketFrame close) {
                handshaker.close(ctx.channel(), close.retain());
                return;
            }
            if (frame instanceof PingWebSocketFrame) {
                ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
                return;
            }
            if (frame instanceof BinaryWebSocketFrame) {
                handshaker.close(ctx.channel(), new CloseWebSocketFrame(WebSocketCloseStatus.INVALID_MESSAGE_TYPE));
                return;
            }
            if (!(frame instanceof TextWebSocketFrame text)) {
                return;
            }
            if (stopping) {
                goAway(ctx);
                return;
            }
            Socket socket = sockets.get(connectionId);
            if (socket != null) {
                socket.lastActiveAt()[0] = System.currentTimeMillis();
            }
            String body = text.text();
            RouteTable.WsRoute route = RouteTable.websocket(actionOf(body))
                    .filter(r -> !r.routeKey().startsWith("$"))
                    .orElseGet(() -> RouteTable.websocket("$default").orElseThrow());
            APIGatewayV2WebSocketEvent event = ApiGatewayEvents.message(route.routeKey(), body, connectionId, connectedAt, sourceIp);
            String id = connectionId;
            invoke(() -> {
                try {
                    functions.webSocket(route, event);
                } catch (RuntimeException e) {
                    LOG.error("WebSocket route {} failed", route.routeKey(), e);
                    ctx.writeAndFlush(new TextWebSocketFrame("{\"message\":\"Internal server error\",\"connectionId\":\""
                            + id + "\",\"requestId\":\"" + event.getRequestContext().getRequestId() + "\"}"));
                }
            });
        }

        /** API Gateway's limits: a socket idle for 10 minutes, or open for 2 hours, is closed with 1001. */
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event instanceof IdleStateEvent) {
                goAway(ctx);
            } else {
                super.userEventTriggered(ctx, event);
            }
        }

        private void goAway(ChannelHandlerContext ctx) {
            if (ctx.channel().isActive()) {
                ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.ENDPOINT_UNAVAILABLE, "Going away"))
                        .addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            if (connectionId != null && sockets.remove(connectionId) != null) {
                APIGatewayV2WebSocketEvent event = ApiGatewayEvents.disconnect(connectionId, connectedAt, sourceIp);
                // once the gateway is stopping there is no function left to run: the connection's TTL forgets it
                invoke(() -> {
                    try {
                        functions.webSocket(RouteTable.websocket("$disconnect").orElseThrow(), event);
                    } catch (RuntimeException e) {
                        LOG.warn("$disconnect failed: {}", e.toString());
                    }
                });
            }
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("Connection error: {}", cause.toString());
            if (cause instanceof io.netty.handler.codec.TooLongFrameException && handshaker != null) {
                // a message over 128 KB (in frames under 32 KB each): API Gateway closes with 1009 too
                ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.MESSAGE_TOO_BIG))
                        .addListener(ChannelFutureListener.CLOSE);
                return;
            }
            ctx.close();
        }
    }

    /** {@code POST/GET/DELETE @connections/{id}}: 410 with {@code GoneException} for an id that is not open. */
    private void manage(ChannelHandlerContext ctx, FullHttpRequest request, String connectionId) {
        Socket socket = sockets.get(connectionId);
        if (socket == null || !socket.channel().isActive()) {
            respond(ctx, request, awsError(HttpResponseStatus.GONE, "GoneException"));
            return;
        }
        HttpMethod method = request.method();
        if (HttpMethod.POST.equals(method)) {
            int size = request.content().readableBytes();
            if (size > MAX_POST_BYTES) {
                respond(ctx, request, awsError(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "PayloadTooLargeException"));
                return;
            }
            socket.channel().writeAndFlush(new TextWebSocketFrame(request.content().retainedDuplicate()));
            respond(ctx, request, new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
        } else if (HttpMethod.GET.equals(method)) {
            String body = "{\"connectedAt\":\"" + Instant.ofEpochMilli(socket.connectedAt()) + "\",\"identity\":{\"sourceIp\":\""
                    + socket.sourceIp() + "\",\"userAgent\":" + (socket.userAgent() == null ? "null" : "\"" + socket.userAgent().replace("\"", "") + "\"")
                    + "},\"lastActiveAt\":\"" + Instant.ofEpochMilli(socket.lastActiveAt()[0]) + "\"}";
            respond(ctx, request, json(HttpResponseStatus.OK, body));
        } else if (HttpMethod.DELETE.equals(method)) {
            socket.channel().writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE))
                    .addListener(ChannelFutureListener.CLOSE);
            respond(ctx, request, new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT));
        } else {
            respond(ctx, request, awsError(HttpResponseStatus.FORBIDDEN, "ForbiddenException"));
        }
    }

    private static FullHttpResponse awsError(HttpResponseStatus status, String type) {
        FullHttpResponse response = json(status, "{\"message\":null}");
        response.headers().set("x-amzn-ErrorType", type);
        return response;
    }

    /**
     * A refused upgrade: the {@code $connect} function's body (the product's error envelope) when it gave one, else
     * the envelope for its status.
     */
    private static FullHttpResponse refusal(APIGatewayV2WebSocketResponse response) {
        HttpResponseStatus status = HttpResponseStatus.valueOf(response.getStatusCode());
        if (response.getBody() != null && !response.getBody().isEmpty()) {
            return json(status, response.getBody());
        }
        return error(status, status.code() == 401 ? ErrorCode.UNAUTHORIZED : status.code() >= 500 ? ErrorCode.INTERNAL_ERROR
                        : ErrorCode.CONNECTION_REFUSED,
                status.code() == 401 ? "Connect with ?token=<session JWT>" : status.reasonPhrase());
    }

    /** The product's error envelope (API.md §2), for what the gateway answers itself. */
    static FullHttpResponse error(HttpResponseStatus status, ErrorCode code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("statusCode", status.code());
        body.put("error", status.reasonPhrase());
        body.put("code", code.code());
        body.put("message", message);
        try {
            return json(status, JSON_WRITER.writeValueAsString(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether every %-escape of the request target is two hex digits, as API Gateway requires. */
    static boolean validEscapes(String uri) {
        for (int i = 0; i < uri.length(); i++) {
            if (uri.charAt(i) == '%') {
                if (i + 2 >= uri.length() || Character.digit(uri.charAt(i + 1), 16) < 0 || Character.digit(uri.charAt(i + 2), 16) < 0) {
                    return false;
                }
                i += 2;
            }
        }
        return true;
    }

    private static FullHttpResponse withContentLength(FullHttpResponse response) {
        HttpUtil.setContentLength(response, response.content().readableBytes());
        return response;
    }

    private static FullHttpResponse json(HttpResponseStatus status, String body) {
        ByteBuf content = Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        return response;
    }

    private static ChannelFuture respond(ChannelHandlerContext ctx, FullHttpRequest request, FullHttpResponse response) {
        HttpUtil.setContentLength(response, response.content().readableBytes());
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            return ctx.writeAndFlush(response);
        }
        return ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    /**
     * An invocation's answer, written before the invocation counts as done: stopping waits for what is in flight and
     * then shuts the event loops, which close their channels before running a write still queued.
     */
    private static void answer(ChannelHandlerContext ctx, FullHttpRequest request, FullHttpResponse response) {
        respond(ctx, request, response).awaitUninterruptibly(ANSWER_WRITE_WAIT.toMillis());
    }

    /** The frame's {@code action} when it is a JSON object with one; route selection sends anything else to $default. */
    static String actionOf(String body) {
        try (JsonParser parser = JSON.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return "$default";
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("action".equals(field) && value == JsonToken.VALUE_STRING) {
                    return parser.getText();
                }
                parser.skipChildren();
            }
            return "$default";
        } catch (java.io.IOException notJson) {
            return "$default";
        }
    }

    private static final JsonFactory JSON = new JsonFactory();
}
