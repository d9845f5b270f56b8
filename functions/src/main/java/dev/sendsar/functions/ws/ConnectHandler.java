package dev.sendsar.functions.ws;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import dev.sendsar.error.ApiException;
import dev.sendsar.functions.security.SessionTokenValidation;
import dev.sendsar.service.RealtimeService;
import dev.sendsar.functions.lambda.FunctionRoute;
import dev.sendsar.functions.lambda.OnDemandContext;
import dev.sendsar.functions.snapstart.PrimingEvents;
import dev.sendsar.functions.snapstart.SnapStartPriming;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.function.aws.MicronautRequestHandler;
import jakarta.inject.Inject;

import java.util.Map;

/**
 * {@code $connect}: accepts the socket only for a valid session JWT in {@code ?token=}, checked as REST's bearer tokens
 * are ({@link SessionTokenValidation}). API Gateway holds the upgrade until this returns and refuses it with any
 * non-2xx status; nothing may be posted to the socket yet.
 */
public class ConnectHandler extends MicronautRequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> {
    @Inject
    RealtimeService realtime;
    @Inject
    SessionTokenValidation sessionTokens;

    public ConnectHandler() {
        primeBeforeSnapshot();
    }

    public ConnectHandler(ApplicationContext context) {
        super(context);
        primeBeforeSnapshot();
    }

    /** As a REST function does ({@code RestFunction}): a deployed {@code $connect} primes itself with a refused token. */
    private void primeBeforeSnapshot() {
        if (applicationContext.containsProperty(FunctionRoute.PROPERTY)) {
            applicationContext.findBean(SnapStartPriming.class).ifPresent(priming ->
                    priming.primeRequests(token -> handleRequest(PrimingEvents.connect(token), null).getStatusCode()));
        }
    }

    /** Beans on first use, not all at start: see {@link OnDemandContext}. */
    @Override
    protected ApplicationContextBuilder newApplicationContextBuilder() {
        return OnDemandContext.builder();
    }

    @Override
    public APIGatewayV2WebSocketResponse execute(APIGatewayV2WebSocketEvent event) {
        Map<String, String> query = event.getQueryStringParameters();
        String token = query == null ? null : query.get("token");
        var context = event.getRequestContext();
        try {
            realtime.connect(context.getConnectionId(), sessionTokens.user(token), context.getConnectedAt());
            return WebSocketResponses.status(200);
        } catch (ApiException e) {
            return WebSocketResponses.error(e);
        }
    }
}
