package dev.sendsar.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The local stack's home: its key files are the owner's alone, and one home has one stack at a time. */
class LocalHomeTest {

    @Test
    void keyFilesAreOwnerOnly_andASecondStackOnTheSameHomeRefusesWithoutStoppingTheFirst(@TempDir Path home) throws Exception {
        Files.writeString(home.resolve("local.env"), "old");
        Files.setPosixFilePermissions(home.resolve("local.env"), PosixFilePermissions.fromString("rw-r--r--"));
        try (LocalStack first = LocalStack.start(new LocalStack.Options(0, home))) {
            Path env = first.writeEnvFile(home);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(env)));
            assertEquals("rw-------", PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(home.resolve("data/secrets.properties"))));
            assertTrue(Files.readString(env).contains(first.apiKey()));

            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> LocalStack.start(new LocalStack.Options(0, home)).close());
            assertTrue(refused.getMessage().contains("is running on " + home), refused.getMessage());

            // the first stack's database (tenants live in PostgreSQL) still answers
            Api.Response tenant = Api.admin(first).post("/admin/tenants", "{\"name\":\"after the refused start\"}");
            assertEquals(201, tenant.status(), tenant.raw().body());
            assertEquals(200, Api.withKey(first, first.apiKey()).get("/chat/rooms?participantId=alice").status());
        }
        // and once it has stopped, the home is free again
        try (LocalStack again = LocalStack.start(new LocalStack.Options(0, home))) {
            assertEquals(200, Api.withKey(again, again.apiKey()).get("/chat/rooms?participantId=alice").status());
        }
    }
}
