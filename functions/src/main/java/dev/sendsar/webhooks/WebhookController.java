package dev.sendsar.webhooks;

import dev.sendsar.domain.Caller;
import dev.sendsar.functions.lambda.FunctionRoute;
import dev.sendsar.functions.rest.ApiErrors;
import dev.sendsar.functions.security.Roles;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.security.annotation.Secured;

import java.util.Map;

/** The tenant's webhook (§3 "Tenant webhooks", §7): API key only. */
@ApiErrors.Standard
@Requires(condition = FunctionRoute.class)
@Controller("/v1/tenant/webhook")
public class WebhookController {
    private final WebhookService webhooks;

    public WebhookController(WebhookService webhooks) {
        this.webhooks = webhooks;
    }

    @Get
    @Secured(Roles.API_KEY)
    public WebhookService.View get(Caller caller) {
        return webhooks.get(caller);
    }

    /** {@code {url, enabled, events?}}; the answer carries the signing secret only when this created the webhook. */
    @Put
    @Secured(Roles.API_KEY)
    public WebhookService.View put(Caller caller, @Nullable @Body Map<String, Object> body) {
        return webhooks.put(caller, body);
    }

    @Post("/rotate-secret")
    @Secured(Roles.API_KEY)
    public WebhookService.Secret rotateSecret(Caller caller) {
        return webhooks.rotateSecret(caller);
    }

    @Post("/test")
    @Secured(Roles.API_KEY)
    public WebhookService.TestResult test(Caller caller) {
        return webhooks.test(caller);
    }

    @Get("/deliveries")
    @Secured(Roles.API_KEY)
    public WebhookService.DeliveryPage deliveries(Caller caller, @Nullable @QueryValue String status,
                                                  @Nullable @QueryValue String cursor, @Nullable @QueryValue Integer limit) {
        return webhooks.deliveries(caller, status, cursor, limit);
    }

    @Post("/deliveries/{eventId}/replay")
    @Secured(Roles.API_KEY)
    public HttpResponse<WebhookService.Replay> replay(Caller caller, @PathVariable String eventId) {
        return HttpResponse.accepted().body(webhooks.replay(caller, eventId));
    }
}
