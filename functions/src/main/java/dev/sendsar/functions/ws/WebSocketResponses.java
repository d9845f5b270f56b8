package dev.sendsar.functions.ws;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.sendsar.error.ApiException;
import io.micronaut.http.HttpStatus;

/**
 * Route responses: WebSocket routes answer through {@code @connections}, so only the status matters, except for a
 * refused {@code $connect}, whose body is the product's error envelope (API.md §2).
 */
final class WebSocketResponses {
    private WebSocketResponses() {
    }

    static APIGatewayV2WebSocketResponse status(int statusCode) {
        APIGatewayV2WebSocketResponse response = new APIGatewayV2WebSocketResponse();
        response.setStatusCode(statusCode);
        return response;
    }

    static APIGatewayV2WebSocketResponse error(ApiException e) {
        APIGatewayV2WebSocketResponse response = status(e.status());
        JsonStringEncoder encoder = JsonStringEncoder.getInstance();
        response.setBody("{\"statusCode\":" + e.status() + ",\"error\":\"" + new String(encoder.quoteAsString(reason(e.status())))
                + "\",\"code\":\"" + new String(encoder.quoteAsString(e.code())) + "\",\"message\":\""
                + new String(encoder.quoteAsString(e.getMessage())) + "\"}");
        return response;
    }

    private static String reason(int status) {
        try {
            return HttpStatus.valueOf(status).getReason();
        } catch (IllegalArgumentException unknown) {
            return "Error";
        }
    }
}
