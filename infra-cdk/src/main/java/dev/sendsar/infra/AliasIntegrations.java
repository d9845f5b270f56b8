package dev.sendsar.infra;

import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.apigatewayv2.HttpIntegrationType;
import software.amazon.awscdk.services.apigatewayv2.HttpRouteIntegration;
import software.amazon.awscdk.services.apigatewayv2.HttpRouteIntegrationBindOptions;
import software.amazon.awscdk.services.apigatewayv2.HttpRouteIntegrationConfig;
import software.amazon.awscdk.services.apigatewayv2.PayloadFormatVersion;
import software.amazon.awscdk.services.apigatewayv2.WebSocketIntegrationType;
import software.amazon.awscdk.services.apigatewayv2.WebSocketRouteIntegration;
import software.amazon.awscdk.services.apigatewayv2.WebSocketRouteIntegrationBindOptions;
import software.amazon.awscdk.services.apigatewayv2.WebSocketRouteIntegrationConfig;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Permission;

/**
 * Lambda proxy integrations of a route function's alias, like {@code HttpLambdaIntegration} and
 * {@code WebSocketLambdaIntegration}, except that API Gateway's invoke permission is made beside the alias (in the
 * function's nested stack) rather than beside the route (in the parent): the same permission, one resource less in
 * the parent per route. See {@link RouteStack}.
 */
final class AliasIntegrations {
    private AliasIntegrations() {
    }

    /** Payload v2 proxy integration of an HTTP route; the permission covers this route's path on any stage. */
    static final class Http extends HttpRouteIntegration {
        private final String id;
        private final RouteFunction function;

        Http(String id, RouteFunction function) {
            super(id);
            this.id = id;
            this.function = function;
        }

        @Override
        public HttpRouteIntegrationConfig bind(HttpRouteIntegrationBindOptions options) {
            String path = options.getRoute().getPath();
            permit(function, id, options.getRoute().getHttpApi().getApiId(), "*/*" + (path == null ? "" : path));
            return HttpRouteIntegrationConfig.builder()
                    .type(HttpIntegrationType.AWS_PROXY)
                    .uri(function.alias().getFunctionArn())
                    .payloadFormatVersion(PayloadFormatVersion.VERSION_2_0)
                    .build();
        }
    }

    /** Proxy integration of a WebSocket route key. */
    static final class WebSocket extends WebSocketRouteIntegration {
        private final String id;
        private final RouteFunction function;

        WebSocket(String id, RouteFunction function) {
            super(id);
            this.id = id;
            this.function = function;
        }

        @Override
        public WebSocketRouteIntegrationConfig bind(WebSocketRouteIntegrationBindOptions options) {
            permit(function, id, options.getRoute().getWebSocketApi().getApiId(), "*" + options.getRoute().getRouteKey());
            String uri = Stack.of(options.getRoute()).formatArn(ArnComponents.builder()
                    .service("apigateway")
                    .account("lambda")
                    .resource("path/2015-03-31/functions")
                    .arnFormat(ArnFormat.SLASH_RESOURCE_NAME)
                    .resourceName(function.alias().getFunctionArn() + "/invocations")
                    .build());
            return WebSocketRouteIntegrationConfig.builder().type(WebSocketIntegrationType.AWS_PROXY).uri(uri).build();
        }
    }

    private static void permit(RouteFunction function, String id, String apiId, String resourceName) {
        function.alias().addPermission(id + "-Permission", Permission.builder()
                .scope(function)
                .principal(new ServicePrincipal("apigateway.amazonaws.com"))
                .sourceArn(Stack.of(function).formatArn(ArnComponents.builder()
                        .service("execute-api")
                        .resource(apiId)
                        .arnFormat(ArnFormat.SLASH_RESOURCE_NAME)
                        .resourceName(resourceName)
                        .build()))
                .build());
    }
}
