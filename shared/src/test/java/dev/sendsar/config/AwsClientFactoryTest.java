package dev.sendsar.config;

import dev.sendsar.fakes.TestConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertThrows;

class AwsClientFactoryTest {

    /**
     * An {@code @connections} endpoint that takes the connection and never answers: the post gives up after
     * {@link AwsClientFactory#POST_TIMEOUT} instead of holding its posting permit through the SDK's 30 s read timeout
     * and its retries.
     */
    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aPostNobodyAnswers_givesUpAtThePostTimeout() throws Exception {
        List<Socket> held = new CopyOnWriteArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept()); // read nothing, answer nothing
                    }
                } catch (java.io.IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            String callback = "http://127.0.0.1:" + silent.getLocalPort();
            TestConfig base = new TestConfig("t", null, null);
            SendsarConfig config = (SendsarConfig) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[]{SendsarConfig.class}, (proxy, method, args) -> switch (method.getName()) {
                        case "getWsCallbackUrl" -> callback;
                        case "getDynamodbEndpoint" -> callback; // the emulators' fixed credentials, nothing looked up
                        default -> method.invoke(base, args);
                    });
            try (ApiGatewayManagementApiClient client = new AwsClientFactory().managementApiClient(config)) {
                assertThrows(ApiCallTimeoutException.class,
                        () -> client.postToConnection(b -> b.connectionId("c1").data(SdkBytes.fromUtf8String("{}"))));
            }
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
    }
}
