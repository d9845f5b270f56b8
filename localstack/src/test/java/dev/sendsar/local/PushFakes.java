package dev.sendsar.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrame;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;

import javax.net.ssl.KeyManagerFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Local stand-ins for the push services, recording every request. Two servers on loopback:
 * <ul>
 *   <li>HTTP/2 over TLS (Netty, ALPN {@code h2} only, a self-signed certificate for 127.0.0.1 made by the JDK's
 *       {@code keytool} at start): APNs and a Web Push service, as Apple and browsers' push services are;</li>
 *   <li>plain HTTP/1.1 (the JDK's server): the OAuth2 token endpoint (the service account's {@code token_uri}), FCM
 *       HTTP v1 and OneSignal, which the stack reaches through configured base URLs.</li>
 * </ul>
 * The stack's push client trusts the certificate through {@code sendsar.push.trusted-certificate} (the PEM file
 * {@link #certificate()}), with certificate and host name verification on. Scripted answers by token: {@code *-dead}
 * is unregistered, {@code *-flaky*} answers 503 the first time; OneSignal refuses the API key {@code broken-key}.
 */
final class PushFakes {
    /** @param protocol {@code h2} (HTTP/2 over TLS, negotiated by ALPN) or {@code HTTP/1.1} */
    record Received(String path, Map<String, List<String>> headers, byte[] body, long atNanos, String protocol) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private record Answer(int status, String body) {
    }

    private static final String STORE_PASSWORD = "fake-tls";
    private static PushFakes instance;

    final List<Received> received = new CopyOnWriteArrayList<>();
    final AtomicInteger tokenRequests = new AtomicInteger();
    private final Map<String, Boolean> failedOnce = new ConcurrentHashMap<>();
    private final HttpServer plain;
    private final EventLoopGroup tlsLoop = new NioEventLoopGroup(2);
    private final Channel tls;
    private final Path certificate;

    private PushFakes() throws Exception {
        plain = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        plain.setExecutor(Executors.newFixedThreadPool(4));
        plain.createContext("/", this::handle);
        plain.start();
        Path dir = Files.createTempDirectory("push-fakes");
        KeyStore keys = selfSigned(dir.resolve("fake.p12"));
        certificate = dir.resolve("fake.pem");
        Files.writeString(certificate, "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(keys.getCertificate("fake").getEncoded())
                + "\n-----END CERTIFICATE-----\n");
        tls = startTls(keys);
    }

    /** Started once per test JVM, before the stack, which reads the provider URLs at start. */
    static synchronized PushFakes get() {
        if (instance == null) {
            try {
                instance = new PushFakes();
            } catch (Exception e) {
                throw new IllegalStateException("The push fakes did not start", e);
            }
        }
        return instance;
    }

    /** The plain HTTP/1.1 server: token endpoint, FCM, OneSignal. */
    String url() {
        return "http://127.0.0.1:" + plain.getAddress().getPort();
    }

    /** The HTTP/2-over-TLS server: APNs, Web Push. */
    String tlsUrl() {
        return "https://127.0.0.1:" + ((InetSocketAddress) tls.localAddress()).getPort();
    }

    /** The PEM file of the TLS server's certificate, for the stack's push client to trust. */
    Path certificate() {
        return certificate;
    }

    List<Received> to(String pathPart) {
        return received.stream().filter(r -> r.path().contains(pathPart) || r.text().contains(pathPart)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String path = exchange.getRequestURI().getPath();
        Answer answer;
        if (path.equals("/token")) {
            tokenRequests.incrementAndGet();
            answer = new Answer(200, "{\"access_token\":\"fake-access-token\",\"expires_in\":3600,\"token_type\":\"Bearer\"}");
        } else {
            answer = record(new Received(path, Map.copyOf(exchange.getRequestHeaders()), body, System.nanoTime(),
                    exchange.getProtocol()));
        }
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    /** Records a provider request and answers it as the provider would. */
    private Answer record(Received request) {
        received.add(request);
        String path = request.path();
        String text = request.text();
        String key = path.startsWith("/notifications") ? text : path + text;
        if (key.contains("-flaky") && failedOnce.putIfAbsent(path + flakyToken(key), true) == null) {
            return new Answer(503, "{}");
        } else if (path.contains("/messages:send") && text.contains("fcm-dead")) {
            return new Answer(404, "{\"error\":{\"code\":404,\"status\":\"NOT_FOUND\",\"details\":[{\"errorCode\":\"UNREGISTERED\"}]}}");
        } else if (path.startsWith("/3/device/") && path.contains("apns-dead")) {
            return new Answer(410, "{\"reason\":\"Unregistered\",\"timestamp\":1}");
        } else if (path.startsWith("/3/device/") && path.contains("apns-bad")) {
            return new Answer(400, "{\"reason\":\"BadDeviceToken\"}");
        } else if (path.equals("/notifications") && "Key broken-key".equals(request.header("Authorization"))) {
            return new Answer(403, "{\"errors\":[\"Access denied.  Please include an 'Authorization: ...' header with a valid API key\"]}");
        } else if (path.equals("/notifications") && text.contains("os-dead")) {
            return new Answer(200, "{\"id\":\"\",\"errors\":{\"invalid_player_ids\":[\"os-dead\"]}}");
        } else if (path.startsWith("/webpush/gone")) {
            return new Answer(410, "");
        } else if (path.startsWith("/webpush/")) {
            return new Answer(201, "");
        } else if (path.equals("/notifications")) {
            return new Answer(200, "{\"id\":\"b98881cc-1e94-4366-bbd9-db8f3429292b\"}");
        }
        return new Answer(200, path.startsWith("/3/") ? "" : "{\"name\":\"projects/p/messages/1\"}");
    }

    private static String flakyToken(String key) {
        int i = key.indexOf("-flaky");
        return key.substring(Math.max(0, i - 10), Math.min(key.length(), i + 12));
    }

    /** A fresh EC key and self-signed certificate for 127.0.0.1, made by the JDK's own keytool. */
    private static KeyStore selfSigned(Path file) throws Exception {
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "fake", "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
                "-keystore", file.toString(), "-storetype", "PKCS12", "-storepass", STORE_PASSWORD,
                "-keypass", STORE_PASSWORD, "-noprompt").redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, STORE_PASSWORD.toCharArray());
        }
        return store;
    }

    private Channel startTls(KeyStore keys) throws Exception {
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, STORE_PASSWORD.toCharArray());
        SslContext ssl = SslContextBuilder.forServer(keyManagers).sslProvider(SslProvider.JDK)
                .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, ApplicationProtocolNames.HTTP_2))
                .build();
        return new ServerBootstrap().group(tlsLoop).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(ssl.newHandler(channel.alloc()), new ApplicationProtocolNegotiationHandler("none") {
                            @Override
                            protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
                                if (!ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                                    // APNs speaks HTTP/2 only: a client that did not negotiate it gets nothing.
                                    ctx.close();
                                    return;
                                }
                                ctx.pipeline().addLast(Http2FrameCodecBuilder.forServer().build(),
                                        new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
                                            @Override
                                            protected void initChannel(Http2StreamChannel stream) {
                                                stream.pipeline().addLast(new StreamHandler(
                                                        ctx.pipeline().get(SslHandler.class).applicationProtocol()));
                                            }
                                        }));
                            }
                        });
                    }
                })
                .bind(InetAddress.getLoopbackAddress(), 0).sync().channel();
    }

    /** One HTTP/2 stream: its request headers and body, then the scripted answer. */
    private final class StreamHandler extends SimpleChannelInboundHandler<Http2StreamFrame> {
        private final String protocol;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private Http2Headers headers;

        StreamHandler(String protocol) {
            this.protocol = protocol;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Http2StreamFrame frame) {
            boolean end = false;
            if (frame instanceof Http2HeadersFrame h) {
                headers = headers == null ? h.headers() : headers;
                end = h.isEndStream();
            } else if (frame instanceof Http2DataFrame d) {
                body.writeBytes(ByteBufUtil.getBytes(d.content()));
                end = d.isEndStream();
            }
            if (!end) {
                return;
            }
            Map<String, List<String>> named = new LinkedHashMap<>();
            headers.forEach(e -> named.computeIfAbsent(e.getKey().toString(), k -> new CopyOnWriteArrayList<>()).add(e.getValue().toString()));
            String path = headers.path().toString();
            Answer answer = record(new Received(path.contains("?") ? path.substring(0, path.indexOf('?')) : path,
                    named, body.toByteArray(), System.nanoTime(), protocol));
            Http2Headers response = new DefaultHttp2Headers().status(Integer.toString(answer.status()));
            if (path.startsWith("/3/device/") && answer.status() == 200) {
                response.set("apns-id", UUID.randomUUID().toString());
            }
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            if (bytes.length == 0) {
                ctx.writeAndFlush(new DefaultHttp2HeadersFrame(response, true));
            } else {
                response.set("content-type", "application/json");
                ctx.write(new DefaultHttp2HeadersFrame(response, false));
                ctx.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(bytes), true));
            }
        }
    }
}
