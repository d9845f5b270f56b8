package dev.sendsar.controlplane;

import dev.sendsar.ports.TenantDirectory;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The control plane (tenants and API keys) in PostgreSQL, Aurora DSQL on AWS: plain JDBC over the pooled data source.
 * Plain SQL rather than Micronaut Data: nine statements on two tables, while Micronaut Data's runtime is some 850
 * classes that every {@code $connect} and every API-key request loaded on a cold start (docs/performance.md).
 * Each call takes a pooled connection in auto-commit: every write is one statement, as DSQL prefers.
 */
@Singleton
public class JdbcTenantDirectory implements TenantDirectory {
    private static final String ACTIVE = "active";
    private static final String TENANT_COLUMNS = "id, name, status, created_at";
    private static final String KEY_COLUMNS = "id, tenant_id, key_hash, created_at, revoked_at";
    /** PostgreSQL's unique_violation: the id (or key hash) is taken. */
    private static final String UNIQUE_VIOLATION = "23505";

    private final DataSource dataSource;

    public JdbcTenantDirectory(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public boolean createTenant(Tenant tenant) {
        try {
            return update("INSERT INTO tenants (" + TENANT_COLUMNS + ", settings) VALUES (?, ?, ?, ?, '{}')",
                    tenant.id(), tenant.name(), tenant.active() ? ACTIVE : "suspended", tenant.createdAt()) == 1;
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                return false;
            }
            throw failed(e);
        }
    }

    @Override
    public Optional<Tenant> findTenant(String tenantId) {
        return queryOne("SELECT " + TENANT_COLUMNS + " FROM tenants WHERE id = ?", r -> new Tenant(r.getString(1), r.getString(2),
                ACTIVE.equals(r.getString(3)), r.getString(4)), tenantId);
    }

    @Override
    public void saveApiKey(ApiKey key) {
        try {
            update("INSERT INTO api_keys (" + KEY_COLUMNS + ") VALUES (?, ?, ?, ?, ?)",
                    key.id(), key.tenantId(), key.keyHash(), key.createdAt(), key.revokedAt());
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public Optional<ApiKey> findApiKeyByHash(String keyHash) {
        return queryOne("SELECT " + KEY_COLUMNS + " FROM api_keys WHERE key_hash = ?", JdbcTenantDirectory::key, keyHash);
    }

    @Override
    public Optional<ApiKey> findApiKey(String keyId) {
        return queryOne("SELECT " + KEY_COLUMNS + " FROM api_keys WHERE id = ?", JdbcTenantDirectory::key, keyId);
    }

    @Override
    public boolean revokeApiKey(String tenantId, String keyId, String revokedAt) {
        try {
            return update("UPDATE api_keys SET revoked_at = ? WHERE id = ? AND tenant_id = ? AND revoked_at IS NULL",
                    revokedAt, keyId, tenantId) == 1;
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public Optional<String> findSettings(String tenantId) {
        return queryOne("SELECT settings FROM tenants WHERE id = ?", r -> r.getString(1), tenantId);
    }

    /** Compare-and-set on the stored text: a concurrent change makes this update nothing. */
    @Override
    public boolean replaceSettings(String tenantId, String expected, String updated) {
        try {
            return update("UPDATE tenants SET settings = ? WHERE id = ? AND settings = ?", updated, tenantId, expected) == 1;
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    private static ApiKey key(ResultSet r) throws SQLException {
        return new ApiKey(r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getString(5));
    }

    private interface Row<T> {
        T read(ResultSet row) throws SQLException;
    }

    private <T> Optional<T> queryOne(String sql, Row<T> reader, String... parameters) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = prepare(connection, sql, parameters);
             ResultSet rows = statement.executeQuery()) {
            return rows.next() ? Optional.of(reader.read(rows)) : Optional.empty();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    private int update(String sql, String... parameters) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = prepare(connection, sql, parameters)) {
            return statement.executeUpdate();
        }
    }

    private static PreparedStatement prepare(Connection connection, String sql, String... parameters) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < parameters.length; i++) {
            statement.setString(i + 1, parameters[i]);
        }
        return statement;
    }

    private static IllegalStateException failed(SQLException e) {
        return new IllegalStateException("Control-plane database: " + e.getMessage(), e);
    }
}
