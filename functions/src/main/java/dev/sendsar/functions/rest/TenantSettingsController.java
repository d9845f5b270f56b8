package dev.sendsar.functions.rest;

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
@Controller("/v1/tenant/settings")
public class TenantSettingsController {
    private final TenantSettingsService settings;

    public TenantSettingsController(TenantSettingsService settings) {
        this.settings = settings;
    }

    @Get
    public TenantSettings get(Caller caller) {
        return settings.get(caller);
    }

    /** A deep merge of the given keys; {@code null} resets a key to its default. */
    @Patch
    public TenantSettings patch(Caller caller, @Nullable @Body Map<String, Object> patch) {
        return settings.patch(caller, patch);
    }
}
