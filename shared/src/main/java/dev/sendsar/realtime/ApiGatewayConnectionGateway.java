package dev.sendsar.realtime;

import dev.sendsar.ports.ConnectionGateway;
import io.micronaut.context.BeanProvider;
import jakarta.inject.Singleton;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.GoneException;

/** {@link ConnectionGateway} over API Gateway's {@code @connections} API (or the local runtime's copy of it). */
@Singleton
public class ApiGatewayConnectionGateway implements ConnectionGateway {
    private final BeanProvider<ApiGatewayManagementApiClient> client;

    public ApiGatewayConnectionGateway(BeanProvider<ApiGatewayManagementApiClient> client) {
        this.client = client;
    }

    @Override
    public boolean post(String connectionId, String frame) {
        try {
            client.get().postToConnection(b -> b.connectionId(connectionId).data(SdkBytes.fromUtf8String(frame)));
            return true;
        } catch (GoneException gone) {
            return false;
        }
    }

    @Override
    public boolean isOpen(String connectionId) {
        try {
            client.get().getConnection(b -> b.connectionId(connectionId));
            return true;
        } catch (GoneException gone) {
            return false;
        }
    }

    @Override
    public void close(String connectionId) {
        try {
            client.get().deleteConnection(b -> b.connectionId(connectionId));
        } catch (GoneException gone) {
            // closed already
        }
    }
}
