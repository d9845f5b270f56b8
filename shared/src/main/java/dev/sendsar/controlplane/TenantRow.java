package dev.sendsar.controlplane;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

/** Row of {@code tenants}. Settings are JSON text: the control-plane schema stays Aurora DSQL-compatible. */
@MappedEntity("tenants")
public record TenantRow(@Id String id, String name, String status, String settings, String createdAt) {
}
