package dev.sendsar.controlplane;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

import java.util.Optional;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface TenantRows extends CrudRepository<TenantRow, String> {

    Optional<String> findSettingsById(String id);

    /** Compare-and-set on the stored text: a concurrent change makes this update nothing. */
    @Query("UPDATE tenants SET settings = :updated WHERE id = :id AND settings = :expected")
    int replaceSettings(String id, String expected, String updated);
}
