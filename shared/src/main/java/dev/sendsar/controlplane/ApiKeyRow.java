package dev.sendsar.controlplane;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

/** Row of {@code api_keys}: only the SHA-256 of a key is ever stored. */
@MappedEntity("api_keys")
public record ApiKeyRow(@Id String id, String tenantId, String keyHash, String createdAt, @Nullable String revokedAt) {
}
