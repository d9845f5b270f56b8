package dev.sendsar.functions.rest;

import dev.sendsar.functions.lambda.FunctionRoute;
import dev.sendsar.functions.security.Roles;
import io.micronaut.context.annotation.Requires;
import io.micronaut.security.annotation.Secured;
import dev.sendsar.domain.Caller;
import dev.sendsar.service.SyncService;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;

/** What a client missed while it was away. */
@ApiErrors.Standard
@Requires(condition = FunctionRoute.class)
@Controller("/v1/sync")
public class SyncController {
    private final SyncService sync;

    public SyncController(SyncService sync) {
        this.sync = sync;
    }

    @Secured(Roles.USER)
    @Get
    public SyncService.SyncResult sync(Caller caller, @Nullable @QueryValue String since) {
        return sync.sync(caller, since);
    }
}
