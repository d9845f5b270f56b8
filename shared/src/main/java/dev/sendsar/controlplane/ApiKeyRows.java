package dev.sendsar.controlplane;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

import java.util.Optional;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface ApiKeyRows extends CrudRepository<ApiKeyRow, String> {

    Optional<ApiKeyRow> findByKeyHash(String keyHash);

    Optional<ApiKeyRow> findByIdAndTenantId(String id, String tenantId);
}
