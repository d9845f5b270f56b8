package dev.sendsar.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A restarted local stack keeps its data, its API key and the sessions it signed. */
class RestartTest {

    @Test
    void restart_keepsDataKeysAndSessions(@TempDir Path home) throws Exception {
        String apiKey;
        String token;
        String room;
        try (LocalStack first = LocalStack.start(new LocalStack.Options(0, home))) {
            Path env = first.writeEnvFile(home);
            assertTrue(Files.readString(env).contains("SENDSAR_API_KEY=" + first.apiKey()));
            Api server = Api.withKey(first, first.apiKey());
            apiKey = first.apiKey();
            token = server.tokenFor("alice");
            server.tokenFor("bob");
            room = server.room("alice", "bob");
            server.post("/chat/rooms/" + room + "/messages", "{\"senderId\":\"bob\",\"parts\":[{\"type\":\"text\",\"text\":\"kept\"}]}");
        }
        try (LocalStack second = LocalStack.start(new LocalStack.Options(0, home))) {
            assertEquals(apiKey, second.apiKey());
            Api alice = Api.withToken(second, token);
            Api.Response messages = alice.get("/chat/rooms/" + room + "/messages");
            assertEquals(200, messages.status(), messages.raw().body());
            assertEquals("kept", messages.body().path("messages").get(0).path("parts").get(0).path("text").asText());
        }
    }
}
