package dev.sendsar.functions.ws;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;

/** Route responses: WebSocket routes answer through {@code @connections}, so only the status matters. */
final class WebSocketResponses {
    private WebSocketResponses() {
    }

    static APIGatewayV2WebSocketResponse status(int statusCode) {
        APIGatewayV2WebSocketResponse response = new APIGatewayV2WebSocketResponse();
        response.setStatusCode(statusCode);
        return response;
    }
}
