package dev.sendsar.functions.ws;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import dev.sendsar.service.RealtimeService;
import dev.sendsar.functions.lambda.OnDemandContext;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.function.aws.MicronautRequestHandler;
import jakarta.inject.Inject;

/** {@code $disconnect}: forgets the connection. Best effort on AWS; the item's TTL and 410s clean up the rest. */
public class DisconnectHandler extends MicronautRequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> {
    @Inject
    RealtimeService realtime;

    public DisconnectHandler() {
    }

    public DisconnectHandler(ApplicationContext context) {
        super(context);
    }

    /** Beans on first use, not all at start: see {@link OnDemandContext}. */
    @Override
    protected ApplicationContextBuilder newApplicationContextBuilder() {
        return OnDemandContext.builder();
    }

    @Override
    public APIGatewayV2WebSocketResponse execute(APIGatewayV2WebSocketEvent event) {
        realtime.disconnect(event.getRequestContext().getConnectionId());
        return WebSocketResponses.status(200);
    }
}
