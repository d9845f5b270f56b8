package dev.sendsar.functions.rest;

import dev.sendsar.functions.lambda.FunctionRoute;
import dev.sendsar.functions.security.Roles;
import io.micronaut.context.annotation.Requires;
import io.micronaut.security.annotation.Secured;
import dev.sendsar.auth.ApiKeyService;
import dev.sendsar.domain.Caller;
import dev.sendsar.service.TenantService;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Status;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;

/** The platform operator's API (x-admin-key). */
@ApiErrors.Standard
@SecurityRequirement(name = ApiDocumentation.ADMIN_KEY)
@Secured(Roles.ADMIN)
@Requires(condition = FunctionRoute.class)
@Controller("/v1/admin/tenants")
public class AdminController {
    private final TenantService tenants;

    public AdminController(TenantService tenants) {
        this.tenants = tenants;
    }

    @Post
    @ApiErrors.Conflict
    @Status(HttpStatus.CREATED)
    public TenantService.CreatedTenant create(Caller caller, @Nullable @Body TenantService.CreateTenantRequest request) {
        return tenants.create(caller, request);
    }

    @Post("/{tenantId}/api-keys")
    @ApiErrors.NotFound
    @Status(HttpStatus.CREATED)
    public ApiKeyService.IssuedKey issueKey(Caller caller, String tenantId) {
        return tenants.issueKey(caller, tenantId);
    }

    @Delete("/{tenantId}/api-keys/{keyId}")
    @ApiErrors.NotFound
    @ApiResponse(responseCode = "204", description = "Revoked")
    public HttpResponse<Void> revokeKey(Caller caller, String tenantId, String keyId) {
        tenants.revokeKey(caller, tenantId, keyId);
        return HttpResponse.noContent();
    }
}
