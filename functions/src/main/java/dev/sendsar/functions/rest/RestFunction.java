package dev.sendsar.functions.rest;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.micronaut.context.ApplicationContext;
import io.micronaut.function.aws.proxy.payload2.APIGatewayV2HTTPEventFunction;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The Lambda handler of every REST route: Micronaut's payload-2.0 function, reading every request body as JSON.
 * The contract accepts a JSON body whatever its declared text type: a browser {@code fetch} with a string body and
 * no Content-Type sends {@code text/plain}, and seed 000's server snippet does exactly that. Micronaut picks the
 * body reader (and answers 415) from the Content-Type before any filter runs, so the event is normalized here.
 */
public class RestFunction extends APIGatewayV2HTTPEventFunction {
    public RestFunction() {
    }

    public RestFunction(ApplicationContext context) {
        super(context);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        readBodyAsJson(event);
        return super.handleRequest(event, context);
    }

    /** A body declared as text of any kind, or not declared at all, is JSON; other types are left to be refused. */
    static void readBodyAsJson(APIGatewayV2HTTPEvent event) {
        if (event.getBody() == null || event.getBody().isEmpty()) {
            return;
        }
        Map<String, String> headers = event.getHeaders() == null ? new HashMap<>() : new HashMap<>(event.getHeaders());
        String declared = headers.get("content-type");
        String type = declared == null ? "" : declared.toLowerCase(Locale.ROOT).trim();
        if (type.isEmpty() || type.startsWith("text/")) {
            headers.put("content-type", "application/json");
            event.setHeaders(headers);
        }
    }
}
