package dev.sendsar.bench;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import dev.sendsar.functions.ws.ConnectHandler;
import dev.sendsar.functions.rest.RestFunction;
import dev.sendsar.functions.snapstart.SnapStartPriming;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

/**
 * Runs in a fresh JVM with only the functions' runtime classpath (and this class): builds one function the way
 * Lambda does (public no-arg constructor, configuration from {@code SENDSAR_*} environment variables), hands it one
 * event, prints the status and its own monotonic timestamps, and exits. Arguments: {@code floor} (the smallest
 * Micronaut function, {@link FloorFunction}), {@code send} (a send-message payload 2.0 event) or {@code connect} (a
 * {@code $connect} event whose token is in {@code SENDSAR_PROBE_TOKEN}), the last two also with {@link #RESTORED}
 * (the first request after a SnapStart restore). Self-contained on purpose: the parent copies only this class file
 * (and its nested classes) next to the functions' classpath.
 */
public final class ColdStartProbe {
    public static final String PREFIX = "SENDSAR-PROBE ";

    private ColdStartProbe() {
    }

    public static void main(String[] args) {
        long main = System.nanoTime();
        String which = args.length == 0 ? "rest" : args[0];
        long constructed;
        long handled;
        long warm;
        long classes;
        int status;
        Context context = new LambdaContext();
        if (which.equals("floor")) {
            FloorFunction function = new FloorFunction();
            constructed = System.nanoTime();
            status = function.handleRequest(Map.of("ping", "1"), context).equals("ok") ? 200 : 500;
            handled = System.nanoTime();
            classes = loadedClasses();
            function.handleRequest(Map.of("ping", "2"), context);
            warm = System.nanoTime() - handled;
        } else if (which.startsWith("send")) {
            RestFunction function = new RestFunction();
            restoreIf(which, function);
            constructed = System.nanoTime();
            status = function.handleRequest(sendEvent(), context).getStatusCode();
            handled = System.nanoTime();
            classes = loadedClasses();
            function.handleRequest(sendEvent(), context);
            warm = System.nanoTime() - handled;
        } else if (which.startsWith("connect")) {
            String token = System.getenv("SENDSAR_PROBE_TOKEN");
            ConnectHandler function = new ConnectHandler();
            restoreIf(which, function);
            constructed = System.nanoTime();
            status = function.handleRequest(connectEvent(token), context).getStatusCode();
            handled = System.nanoTime();
            classes = loadedClasses();
            function.handleRequest(connectEvent(token), context);
            warm = System.nanoTime() - handled;
        } else {
            System.err.println("Usage: ColdStartProbe floor|send|connect|send" + RESTORED + "|connect" + RESTORED);
            System.exit(2);
            return;
        }
        System.out.println(PREFIX + "function=" + which + " status=" + status + " main=" + main + " constructed="
                + constructed + " handled=" + handled + " warm=" + warm + " classes=" + classes);
        System.out.flush();
        System.exit(0);
    }

    /** A function name's suffix for the first request after a SnapStart restore. */
    public static final String RESTORED = "-restored";

    /**
     * For {@code send-restored} and {@code connect-restored}: what Lambda runs before it takes a SnapStart snapshot
     * ({@code SnapStartPriming}, a CRaC resource), so the first request timed after it is the first request of a
     * function restored from that snapshot (the restore itself, AWS's part, is not in it).
     */
    private static void restoreIf(String which, io.micronaut.context.ApplicationContextProvider function) {
        if (which.endsWith(RESTORED)) {
            function.getApplicationContext().getBean(SnapStartPriming.class).beforeCheckpoint(null);
        }
    }

    /**
     * Classes the JVM loaded up to the first response (read right after it; the class-loading MXBean adds a few dozen
     * of its own where nothing loaded {@code java.lang.management} before, as in the floor).
     */
    private static long loadedClasses() {
        return java.lang.management.ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount();
    }

    /**
     * The floor of a cold start: the smallest Micronaut Lambda function, an application context and one handler
     * answering a constant. The parent runs it with only the jars it needs.
     */
    public static final class FloorFunction extends io.micronaut.function.aws.MicronautRequestHandler<Map<String, Object>, String> {
        @Override
        public String execute(Map<String, Object> input) {
            return "ok";
        }
    }

    /**
     * {@code POST /v1/chat/rooms/{room}/messages} as the SDK sends it: the sender's session token (which the parent
     * passes with the room) and a {@code clientMessageId} of its own.
     */
    static APIGatewayV2HTTPEvent sendEvent() {
        String room = System.getenv("SENDSAR_PROBE_ROOM");
        String path = "/v1/chat/rooms/" + room + "/messages";
        APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
        event.setVersion("2.0");
        event.setRouteKey("POST /v1/chat/rooms/{roomId}/messages");
        event.setRawPath(path);
        event.setRawQueryString("");
        event.setHeaders(Map.of("host", "localhost", "accept", "application/json", "user-agent", "sendsar-bench",
                "content-type", "application/json", "authorization", "Bearer " + System.getenv("SENDSAR_PROBE_SENDER_TOKEN")));
        event.setBody("{\"parts\":[{\"type\":\"text\",\"text\":\"cold\"}],\"clientMessageId\":\"" + UUID.randomUUID() + "\"}");
        event.setIsBase64Encoded(false);
        APIGatewayV2HTTPEvent.RequestContext context = new APIGatewayV2HTTPEvent.RequestContext();
        context.setAccountId("000000000000");
        context.setApiId("bench");
        context.setDomainName("localhost");
        context.setDomainPrefix("localhost");
        context.setRequestId(UUID.randomUUID().toString());
        context.setRouteKey("POST /v1/chat/rooms/{roomId}/messages");
        context.setStage("$default");
        long now = System.currentTimeMillis();
        context.setTimeEpoch(now);
        context.setTime(java.time.Instant.ofEpochMilli(now).toString());
        APIGatewayV2HTTPEvent.RequestContext.Http http = new APIGatewayV2HTTPEvent.RequestContext.Http();
        http.setMethod("POST");
        http.setPath(path);
        http.setProtocol("HTTP/1.1");
        http.setSourceIp("127.0.0.1");
        http.setUserAgent("sendsar-bench");
        context.setHttp(http);
        event.setRequestContext(context);
        return event;
    }

    static APIGatewayV2WebSocketEvent connectEvent(String token) {
        APIGatewayV2WebSocketEvent event = new APIGatewayV2WebSocketEvent();
        APIGatewayV2WebSocketEvent.RequestContext context = new APIGatewayV2WebSocketEvent.RequestContext();
        long now = System.currentTimeMillis();
        context.setRouteKey("$connect");
        context.setEventType("CONNECT");
        context.setConnectionId("probe" + UUID.randomUUID().toString().substring(0, 8) + "=");
        context.setConnectedAt(now);
        context.setRequestId(UUID.randomUUID().toString());
        context.setRequestTimeEpoch(now);
        context.setStage("local");
        context.setDomainName("localhost");
        context.setApiId("bench");
        context.setAccountId("000000000000");
        APIGatewayV2WebSocketEvent.RequestIdentity identity = new APIGatewayV2WebSocketEvent.RequestIdentity();
        identity.setSourceIp("127.0.0.1");
        context.setIdentity(identity);
        event.setRequestContext(context);
        event.setHeaders(Map.of("host", "localhost", "sec-websocket-version", "13"));
        event.setQueryStringParameters(Map.of("token", token == null ? "" : token));
        event.setIsBase64Encoded(false);
        return event;
    }

    /** What the Lambda runtime passes as the invocation context. */
    static final class LambdaContext implements Context {
        private final String requestId = UUID.randomUUID().toString();

        @Override
        public String getAwsRequestId() {
            return requestId;
        }

        @Override
        public String getLogGroupName() {
            return "/aws/lambda/sendsar-bench";
        }

        @Override
        public String getLogStreamName() {
            return "bench";
        }

        @Override
        public String getFunctionName() {
            return "sendsar-bench";
        }

        @Override
        public String getFunctionVersion() {
            return "$LATEST";
        }

        @Override
        public String getInvokedFunctionArn() {
            return "arn:aws:lambda:us-east-1:000000000000:function:sendsar-bench";
        }

        @Override
        public CognitoIdentity getIdentity() {
            return null;
        }

        @Override
        public ClientContext getClientContext() {
            return null;
        }

        @Override
        public int getRemainingTimeInMillis() {
            return 30_000;
        }

        @Override
        public int getMemoryLimitInMB() {
            return 1024;
        }

        @Override
        public LambdaLogger getLogger() {
            return new Logger();
        }
    }

    static final class Logger implements LambdaLogger {
        @Override
        public void log(String message) {
            System.err.println(message);
        }

        @Override
        public void log(byte[] message) {
            System.err.println(new String(message, StandardCharsets.UTF_8));
        }
    }
}
