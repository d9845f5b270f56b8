package dev.sendsar.functions.rest;

import dev.sendsar.functions.lambda.FunctionRoute;
import dev.sendsar.functions.security.Roles;
import io.micronaut.context.annotation.Requires;
import io.micronaut.security.annotation.Secured;
import dev.sendsar.domain.Caller;
import dev.sendsar.settings.TenantSettings;
import dev.sendsar.settings.TenantSettingsService;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;

import java.util.Map;

/** The tenant's settings (§6 of the contract). */
@ApiErrors.Standard
@Requires(condition = FunctionRoute.class)
@Controller("/v1/tenant/settings")
public class TenantSettingsController {
    private final TenantSettingsService settings;

    public TenantSettingsController(TenantSettingsService settings) {
        this.settings = settings;
    }

    @Secured({Roles.API_KEY, Roles.USER})
    @Get
    public TenantSettings get(Caller caller) {
        return settings.get(caller);
    }

    /** A deep merge of the given keys; {@code null} resets a key to its default. */
    @Secured(Roles.API_KEY)
    @Patch
    public TenantSettings patch(Caller caller, @Nullable @Body Map<String, Object> patch) {
        return settings.patch(caller, patch);
    }
}
