package dev.sendsar.local;

import dev.sendsar.auth.Secrets;
import dev.sendsar.auth.SessionTokenSigner;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * What a deployment keeps in its secret store, kept for the local stack in one owner-only file of its data
 * directory: the operator key, the session-token signing keys, the key encrypting webhook secrets, and the dev
 * tenant's API key (the database keeps
 * only its hash, so the file is what lets a restart print the same key).
 */
final class LocalSecrets {
    private static final String ADMIN_KEY = "adminKey";
    private static final String JWT_KEYS = "jwtKeys";
    private static final String DEV_API_KEY = "devApiKey";
    private static final String WEBHOOK_SECRET_KEY = "webhookSecretKey";

    private final Properties values;
    private final Path file;

    private LocalSecrets(Properties values, Path file) {
        this.values = values;
        this.file = file;
    }

    /** Loads the file, making what is missing; {@code null} keeps the secrets in memory only. */
    static LocalSecrets load(Path file) throws IOException {
        Properties values = new Properties();
        if (file != null && Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                values.load(in);
            }
        }
        LocalSecrets secrets = new LocalSecrets(values, file);
        boolean changed = values.putIfAbsent(ADMIN_KEY, Secrets.randomKey("adm_")) == null;
        changed |= values.putIfAbsent(JWT_KEYS, SessionTokenSigner.generateKeySet()) == null;
        changed |= values.putIfAbsent(WEBHOOK_SECRET_KEY, Secrets.randomKey("whk_")) == null;
        if (changed) {
            secrets.save();
        }
        return secrets;
    }

    String adminKey() {
        return values.getProperty(ADMIN_KEY);
    }

    String jwtKeys() {
        return values.getProperty(JWT_KEYS);
    }

    String webhookSecretKey() {
        return values.getProperty(WEBHOOK_SECRET_KEY);
    }

    String devApiKey() {
        return values.getProperty(DEV_API_KEY);
    }

    void devApiKey(String apiKey) throws IOException {
        values.setProperty(DEV_API_KEY, apiKey);
        save();
    }

    private void save() throws IOException {
        if (file == null) {
            return;
        }
        StringWriter out = new StringWriter();
        values.store(out, "Sendsar local stack secrets: do not commit");
        OwnerOnlyFile.write(file, out.toString());
    }
}
