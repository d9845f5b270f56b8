package dev.sendsar.config;

import dev.sendsar.fakes.TestConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AwsClientFactoryTest {

    /**
     * An {@code @connections} endpoint that takes the connection and never answers: the post gives up after
     * {@link AwsClientFactory#POST_TIMEOUT} instead of holding its posting permit through the SDK's 30 s read timeout
     * and its retries.
     */
    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aPostNobodyAnswers_givesUpAtThePostTimeout() throws Exception {
        try (Silent silent = new Silent()) {
            try (ApiGatewayManagementApiClient client = new AwsClientFactory().managementApiClient(silent.config())) {
                long started = System.nanoTime();
                assertThrows(ApiCallTimeoutException.class,
                        () -> client.postToConnection(b -> b.connectionId("c1").data(SdkBytes.fromUtf8String("{}"))));
                assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(AwsClientFactory.CALL_TIMEOUT) < 0,
                        "a post gives up sooner than other calls");
            }
        }
    }

    /**
     * A DynamoDB endpoint that takes the connection and never answers: the call gives up after
     * {@link AwsClientFactory#CALL_TIMEOUT}, attempts on fresh connections included, within a request function's 10 s
     * timeout (the SQS, S3 and Secrets Manager clients are built the same way).
     */
    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aDynamoDbCallNobodyAnswers_givesUpAtTheCallTimeout_afterTryingAgain() throws Exception {
        try (Silent silent = new Silent()) {
            try (DynamoDbClient client = new AwsClientFactory().dynamoDbClient(silent.config())) {
                assertThrows(ApiCallTimeoutException.class, () -> client.getItem(b -> b.tableName("t")
                        .key(Map.of("PK", AttributeValue.fromS("p")))));
            }
            assertTrue(silent.held.size() >= 2, "attempts made: " + silent.held.size());
        }
    }

    /** A loopback server that accepts every connection and reads nothing, answers nothing. */
    private static final class Silent implements AutoCloseable {
        final List<Socket> held = new CopyOnWriteArrayList<>();
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());

        Silent() throws java.io.IOException {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(server.accept());
                    }
                } catch (java.io.IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
        }

        /** Every endpoint of the configuration is this server (the emulators' fixed credentials: nothing looked up). */
        SendsarConfig config() {
            String url = "http://127.0.0.1:" + server.getLocalPort();
            TestConfig base = new TestConfig("t", null, null);
            return (SendsarConfig) java.lang.reflect.Proxy.newProxyInstance(AwsClientFactoryTest.class.getClassLoader(),
                    new Class<?>[]{SendsarConfig.class}, (proxy, method, args) -> switch (method.getName()) {
                        case "getWsCallbackUrl", "getDynamodbEndpoint" -> url;
                        default -> method.invoke(base, args);
                    });
        }

        @Override
        public void close() throws java.io.IOException {
            server.close();
            for (Socket socket : held) {
                socket.close();
            }
        }
    }
}
