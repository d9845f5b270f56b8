package dev.sendsar.functions.rest;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.micronaut.context.ApplicationContext;
import io.micronaut.function.aws.proxy.payload2.APIGatewayV2HTTPEventFunction;

import java.util.HashMap;
import java.util.Map;

/**
 * The Lambda handler of every REST route: Micronaut's payload-2.0 function, reading every request body as JSON.
 * The contract accepts a JSON body whatever its declared text type: a browser {@code fetch} with a string body and
 * no Content-Type sends {@code text/plain}, and seed 000's server snippet does exactly that. The API speaks nothing
 * but JSON, so any declared type is read as JSON (a body that is not JSON is a 400 {@code malformed_json}): no form
 * or multipart parser ever sees a request. Micronaut picks the body reader (and would answer 415) from the
 * Content-Type before any filter runs, so the event is normalized here.
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

    static void readBodyAsJson(APIGatewayV2HTTPEvent event) {
        if (event.getBody() == null || event.getBody().isEmpty()) {
            return;
        }
        Map<String, String> headers = event.getHeaders() == null ? new HashMap<>() : new HashMap<>(event.getHeaders());
        headers.put("content-type", "application/json");
        event.setHeaders(headers);
    }
}
