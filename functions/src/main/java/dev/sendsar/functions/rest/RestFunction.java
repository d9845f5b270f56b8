package dev.sendsar.functions.rest;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.sendsar.functions.lambda.FunctionRoute;
import dev.sendsar.functions.lambda.OnDemandContext;
import dev.sendsar.functions.snapstart.PrimingEvents;
import dev.sendsar.functions.snapstart.SnapStartPriming;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.function.aws.proxy.payload2.APIGatewayV2HTTPEventFunction;

import dev.sendsar.error.ApiException;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
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
        primeBeforeSnapshot();
    }

    public RestFunction(ApplicationContext context) {
        super(context);
        primeBeforeSnapshot();
    }

    /**
     * A deployed function (one route) has SnapStart priming send its route a request whose token is refused
     * ({@link SnapStartPriming#primeRequests}); where one context serves every route there is nothing to prime.
     */
    private void primeBeforeSnapshot() {
        applicationContext.getProperty(FunctionRoute.PROPERTY, String.class).flatMap(FunctionRoute::http).ifPresent(route ->
                applicationContext.findBean(SnapStartPriming.class).ifPresent(priming ->
                        priming.primeRequests(token -> handleRequest(PrimingEvents.http(route, token), null).getStatusCode())));
    }

    /** Beans on first use, not all at start: see {@link OnDemandContext}. */
    @Override
    protected ApplicationContextBuilder newApplicationContextBuilder() {
        return OnDemandContext.builder();
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        readBodyAsJson(event);
        APIGatewayV2HTTPResponse invalidIds = checkBodyIds(event);
        return invalidIds != null ? invalidIds : super.handleRequest(event, context);
    }

    /**
     * Ids in the body ({@link BodyIds}) are checked here, where the body is still a string: a 400 in the envelope,
     * before any service reads it. A body that is not JSON is left to Micronaut's 400 {@code malformed_json}.
     */
    private APIGatewayV2HTTPResponse checkBodyIds(APIGatewayV2HTTPEvent event) {
        if (event.getBody() == null || event.getBody().isEmpty()) {
            return null;
        }
        JsonMapper mapper = applicationContext.getBean(JsonMapper.class);
        Object body;
        try {
            byte[] bytes = event.getIsBase64Encoded() ? Base64.getDecoder().decode(event.getBody())
                    : event.getBody().getBytes(StandardCharsets.UTF_8);
            body = mapper.readValue(bytes, Argument.OBJECT_ARGUMENT);
        } catch (IOException | RuntimeException notJson) {
            return null;
        }
        try {
            BodyIds.check(body).throwIfAny();
            return null;
        } catch (ApiException invalid) {
            APIGatewayV2HTTPResponse response = new APIGatewayV2HTTPResponse();
            response.setStatusCode(invalid.status());
            response.setHeaders(Map.of("Content-Type", "application/json"));
            try {
                response.setBody(new String(mapper.writeValueAsBytes(ErrorBody.of(invalid)), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            response.setIsBase64Encoded(false);
            return response;
        }
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
