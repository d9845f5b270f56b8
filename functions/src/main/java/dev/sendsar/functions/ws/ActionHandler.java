package dev.sendsar.functions.ws;

import dev.sendsar.error.ErrorCode;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import dev.sendsar.error.ApiException;
import dev.sendsar.error.Violations;
import dev.sendsar.json.Json;
import dev.sendsar.service.RealtimeService;
import dev.sendsar.functions.lambda.OnDemandContext;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.function.aws.MicronautRequestHandler;
import jakarta.inject.Inject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Set;

/**
 * The client's actions ({@code hello}, {@code join-room}, {@code leave-room}, {@code typing}, {@code ping}) and
 * {@code $default}.
 * Each action route is its own function on AWS running this class. A bad frame or a refused action answers with an
 * {@code error} frame and leaves the socket open; every frame first passes the connection's {@link FrameThrottle}.
 * Nothing a frame holds can make the gateway's "Internal server error" reach the client: an unexpected failure is
 * an {@code internal_error} frame.
 */
public class ActionHandler extends MicronautRequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> {
    private static final Logger LOG = LoggerFactory.getLogger(ActionHandler.class);

    /** One client action: what its route key does with the frame. */
    private interface Action {
        void run(RealtimeService realtime, String connectionId, Map<String, Object> frame);
    }

    /** Every action route key this class answers; a test holds RouteTable.WEBSOCKET to exactly these. */
    private static final Map<String, Action> ACTIONS = Map.of(
            "hello", (realtime, connectionId, frame) -> realtime.hello(connectionId),
            "join-room", (realtime, connectionId, frame) -> realtime.joinRoom(connectionId, roomId(frame)),
            "leave-room", (realtime, connectionId, frame) -> realtime.leaveRoom(connectionId, roomId(frame)),
            "ping", (realtime, connectionId, frame) -> realtime.ping(connectionId),
            "typing", (realtime, connectionId, frame) -> realtime.typing(connectionId, roomId(frame),
                    Boolean.TRUE.equals(frame.get("isTyping"))));

    @Inject
    RealtimeService realtime;
    @Inject
    Json json;
    @Inject
    FrameThrottle throttle;

    public ActionHandler() {
    }

    public ActionHandler(ApplicationContext context) {
        super(context);
    }

    /** Beans on first use, not all at start: see {@link OnDemandContext}. */
    @Override
    protected ApplicationContextBuilder newApplicationContextBuilder() {
        return OnDemandContext.builder();
    }

    @Override
    public APIGatewayV2WebSocketResponse execute(APIGatewayV2WebSocketEvent event) {
        String connectionId = event.getRequestContext().getConnectionId();
        String routeKey = event.getRequestContext().getRouteKey();
        try {
            switch (throttle.admit(connectionId)) {
                case REFUSE -> {
                    return WebSocketResponses.status(200);
                }
                case REFUSE_AND_TELL -> throw ApiException.rateLimited(FrameThrottle.retryAfterSeconds());
                case ADMIT -> {
                    // on to the action
                }
            }
            Map<String, Object> frame = parse(event.getBody());
            Action action = ACTIONS.get(routeKey);
            if (action != null) {
                action.run(realtime, connectionId, frame);
            } else {
                Object name = frame.get("action");
                realtime.error(connectionId, ErrorCode.UNKNOWN_ACTION,
                        name == null ? "A frame needs an \"action\"" : "Unknown action: " + name);
            }
        } catch (ApiException e) {
            realtime.refuse(connectionId, e);
        } catch (RuntimeException e) {
            LOG.error("WebSocket route {} failed", routeKey, e);
            realtime.error(connectionId, ErrorCode.INTERNAL_ERROR, "Internal server error");
        }
        return WebSocketResponses.status(200);
    }

    /** The action route keys this class answers ({@code $default} answers everything else with an error frame). */
    public static Set<String> actions() {
        return ACTIONS.keySet();
    }

    /** The frame's room id, checked as every id is (a 3 KB one must not reach storage); absent stays null. */
    private static String roomId(Map<String, Object> frame) {
        String roomId = string(frame, "roomId");
        if (roomId != null) {
            new Violations().id(roomId, "roomId").throwIfAny();
        }
        return roomId;
    }

    private Map<String, Object> parse(String body) {
        if (body == null || body.isBlank()) {
            throw new ApiException(ErrorCode.MALFORMED_JSON, "The frame is not a JSON object");
        }
        try {
            Map<String, Object> frame = json.readMap(body);
            if (frame == null) {
                throw new ApiException(ErrorCode.MALFORMED_JSON, "The frame is not a JSON object");
            }
            return frame;
        } catch (UncheckedIOException | ClassCastException e) {
            throw new ApiException(ErrorCode.MALFORMED_JSON, "The frame is not a JSON object");
        }
    }

    private static String string(Map<String, Object> frame, String field) {
        Object value = frame.get(field);
        return value instanceof String s ? s : null;
    }
}
