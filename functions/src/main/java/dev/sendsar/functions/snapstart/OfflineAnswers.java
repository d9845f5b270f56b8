package dev.sendsar.functions.snapstart;

import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The HTTP client of SnapStart priming's AWS clients: it reads each request as a real client would send it and answers
 * from memory, so the SDK runs its whole call path (marshalling, endpoint rules, signing, timeouts, unmarshalling)
 * with nothing leaving the process. Every call succeeds with an empty JSON object, but the one after
 * {@link #refuseNext()}, which DynamoDB's conditional-check refusal answers (its error path). Calls are made one at a
 * time by the priming thread.
 */
final class OfflineAnswers implements SdkHttpClient {
    private static final String REFUSAL = "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException\","
            + "\"message\":\"The conditional request failed\",\"Item\":{\"PK\":{\"S\":\"priming\"}}}";

    private boolean refuseNext;
    private int calls;

    /** The next call is answered with a conditional-check refusal. */
    void refuseNext() {
        refuseNext = true;
    }

    /** Calls answered so far. */
    int calls() {
        return calls;
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() throws IOException {
                if (request.contentStreamProvider().isPresent()) {
                    try (InputStream body = request.contentStreamProvider().get().newStream()) {
                        body.transferTo(OutputStream.nullOutputStream());
                    }
                }
                boolean refused = refuseNext;
                refuseNext = false;
                calls++;
                byte[] body = (refused ? REFUSAL : "{}").getBytes(StandardCharsets.UTF_8);
                return HttpExecuteResponse.builder()
                        .response(SdkHttpResponse.builder().statusCode(refused ? 400 : 200)
                                .putHeader("Content-Type", "application/x-amz-json-1.0")
                                .putHeader("Content-Length", String.valueOf(body.length))
                                .putHeader("x-amzn-RequestId", "priming").build())
                        .responseBody(AbortableInputStream.create(new ByteArrayInputStream(body))).build();
            }

            @Override
            public void abort() {
                // answered at once: nothing to abort
            }
        };
    }

    @Override
    public String clientName() {
        return "SnapStartPriming";
    }

    @Override
    public void close() {
        // holds nothing
    }
}
