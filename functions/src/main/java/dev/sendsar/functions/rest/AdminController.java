package dev.sendsar.functions.rest;

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

/** The platform operator's API (x-admin-key). */
@Controller("/v1/admin/tenants")
public class AdminController {
    private final TenantService tenants;

    public AdminController(TenantService tenants) {
        this.tenants = tenants;
    }

    @Post
    @Status(HttpStatus.CREATED)
    public TenantService.CreatedTenant create(Caller caller, @Nullable @Body TenantService.CreateTenantRequest request) {
        return tenants.create(caller, request);
    }

    @Post("/{tenantId}/api-keys")
    @Status(HttpStatus.CREATED)
    public ApiKeyService.IssuedKey issueKey(Caller caller, String tenantId) {
        return tenants.issueKey(caller, tenantId);
    }

    @Delete("/{tenantId}/api-keys/{keyId}")
    public HttpResponse<Void> revokeKey(Caller caller, String tenantId, String keyId) {
        tenants.revokeKey(caller, tenantId, keyId);
        return HttpResponse.noContent();
    }
}
