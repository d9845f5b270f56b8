package dev.sendsar.controlplane;

import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** Creates the control-plane tables if absent, one statement per transaction as Aurora DSQL requires. */
@Singleton
public class ControlPlaneSchema {
    private final DataSource dataSource;

    public ControlPlaneSchema(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void create() {
        String script;
        try (InputStream in = ControlPlaneSchema.class.getResourceAsStream("schema.sql")) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (Connection connection = dataSource.getConnection()) {
            for (String statement : script.replaceAll("(?m)^--.*$", "").split(";\\s*\\n")) {
                if (!statement.isBlank()) {
                    try (Statement st = connection.createStatement()) {
                        st.execute(statement);
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create the control-plane schema", e);
        }
    }
}
