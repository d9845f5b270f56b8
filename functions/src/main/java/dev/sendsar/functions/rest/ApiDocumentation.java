package dev.sendsar.functions.rest;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeIn;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import io.swagger.v3.oas.annotations.servers.Server;

/**
 * The head of the API reference. The micronaut-openapi processor builds {@code META-INF/swagger/sendsar.yml} at
 * compile time from every controller (no annotation needed for a route to appear); this class only adds the title,
 * the three credentials, and the default security of an operation (API key or session token). The local runtime
 * serves the document and a Scalar page at {@code /v1/docs}.
 */
@OpenAPIDefinition(
        info = @Info(title = "Sendsar API", version = "v1",
                description = "Multi-tenant chat API. Every non-2xx response is an `ErrorBody` with a stable `code`; "
                        + "validation errors (400) list the offending fields in `details`; 429 carries `Retry-After`. "
                        + "Pagination: `limit` (1…100, default 50) and an opaque `cursor`; responses carry `nextCursor`."),
        servers = @Server(url = "/", description = "This API Gateway"),
        security = {@SecurityRequirement(name = ApiDocumentation.API_KEY), @SecurityRequirement(name = ApiDocumentation.SESSION_TOKEN)})
@SecurityScheme(name = ApiDocumentation.API_KEY, type = SecuritySchemeType.APIKEY, in = SecuritySchemeIn.HEADER,
        paramName = "x-api-key", description = "The tenant's secret API key (`sk_…`), for the integrator's servers. "
        + "Acts as any user of the tenant.")
@SecurityScheme(name = ApiDocumentation.SESSION_TOKEN, type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWT",
        description = "A session token minted by `POST /v1/auth/token`, for end users' apps. Acts only as its own user.")
@SecurityScheme(name = ApiDocumentation.ADMIN_KEY, type = SecuritySchemeType.APIKEY, in = SecuritySchemeIn.HEADER,
        paramName = "x-admin-key", description = "The platform operator's key, for `/v1/admin/**` only.")
final class ApiDocumentation {
    static final String API_KEY = "apiKey";
    static final String SESSION_TOKEN = "sessionToken";
    static final String ADMIN_KEY = "adminKey";
    /** The {@code x-sendsar-connection-id} header of a send or forward. */
    static final String SENDER_CONNECTION = "The sending device's own WebSocket connection id (the `connectionId` of its "
            + "`ready` frame): that socket gets no `new-message` for this send, as the device has the message from this "
            + "answer. Only a connection of the sender is ever skipped; any other value changes nothing.";

    private ApiDocumentation() {
    }
}
