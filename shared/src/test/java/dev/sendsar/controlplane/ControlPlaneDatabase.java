package dev.sendsar.controlplane;

import dev.sendsar.auth.SessionTokenSigner;
import io.micronaut.context.ApplicationContext;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.util.Map;

/** An embedded PostgreSQL with the control-plane schema and a Micronaut context on it: one per test class. */
final class ControlPlaneDatabase implements AutoCloseable {
    final EmbeddedPostgres postgres;
    final ApplicationContext context;

    ControlPlaneDatabase() throws Exception {
        postgres = EmbeddedPostgres.builder().setServerConfig("listen_addresses", "127.0.0.1").start();
        context = ApplicationContext.builder().properties(Map.of(
                "datasources.default.url", postgres.getJdbcUrl("postgres", "postgres"),
                "datasources.default.username", "postgres",
                "datasources.default.password", "postgres",
                "sendsar.jwt-keys", SessionTokenSigner.generateKeySet(),
                "sendsar.admin-key", "adm_test")).start();
        context.getBean(ControlPlaneSchema.class).create();
    }

    @Override
    public void close() throws Exception {
        context.close();
        postgres.close();
    }
}
