package dev.sendsar.service;

import dev.sendsar.error.ErrorCode;
import dev.sendsar.auth.ApiKeyService;
import dev.sendsar.domain.Caller;
import dev.sendsar.domain.Ids;
import dev.sendsar.domain.Times;
import dev.sendsar.error.ApiException;
import dev.sendsar.error.Violations;
import dev.sendsar.ports.TenantDirectory;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;

/** The operator's API: tenants and their API keys. */
@Singleton
public class TenantService {

    @Serdeable
    public record CreateTenantRequest(String id, String name) {
    }

    @Serdeable
    public record TenantView(String id, String name, String createdAt) {
    }

    @Serdeable
    public record CreatedTenant(TenantView tenant, String keyId, String apiKey) {
    }

    private final TenantDirectory directory;
    private final ApiKeyService apiKeys;

    public TenantService(TenantDirectory directory, ApiKeyService apiKeys) {
        this.directory = directory;
        this.apiKeys = apiKeys;
    }

    public CreatedTenant create(Caller caller, CreateTenantRequest request) {
        new Violations()
                .check(request != null && request.name() != null && !request.name().isBlank(), "name", "must not be blank")
                .maxLength(request == null ? null : request.name(), 200, "name")
                .optionalId(request == null ? null : request.id(), "id")
                .throwIfAny();
        String id = request.id() != null ? request.id() : Ids.uuid();
        TenantDirectory.Tenant tenant = new TenantDirectory.Tenant(id, request.name().trim(), true, Times.now());
        if (!directory.createTenant(tenant)) {
            throw new ApiException(ErrorCode.TENANT_EXISTS, "A tenant with this id exists already");
        }
        ApiKeyService.IssuedKey key = apiKeys.issue(id);
        return new CreatedTenant(new TenantView(id, tenant.name(), tenant.createdAt()), key.keyId(), key.apiKey());
    }

    public ApiKeyService.IssuedKey issueKey(Caller caller, String tenantId) {
        requireTenant(tenantId);
        return apiKeys.issue(tenantId);
    }

    public void revokeKey(Caller caller, String tenantId, String keyId) {
        requireTenant(tenantId);
        apiKeys.revoke(tenantId, keyId);
    }

    private void requireTenant(String tenantId) {
        if (directory.findTenant(tenantId).isEmpty()) {
            throw new ApiException(ErrorCode.TENANT_NOT_FOUND, "No such tenant");
        }
    }
}
