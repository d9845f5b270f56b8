package dev.sendsar.local;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every failure is JSON with a status, a stable code and a message; bad input changes nothing. */
class ErrorResponsesTest {
    private final LocalStack stack = TestStack.get();

    @Test
    void malformedJson_is400MalformedJson() {
        Api server = Api.newTenant(stack);
        Api.Response response = server.post("/users", "{ \"id\": \"x\", ");
        assertEquals(400, response.status());
        assertEquals("malformed_json", response.code());
        assertEquals("Bad Request", response.body().path("error").asText());
        assertEquals(404, server.get("/users/x").status());
    }

    @Test
    void invalidFields_are400WithDetailsNamingEachField() {
        Api server = Api.newTenant(stack);
        Api.Response response = server.post("/chat/rooms", "{\"participants\":[{\"id\":\"\"},{\"id\":\"ok\",\"role\":\"KING\"}]}");
        assertEquals(400, response.status());
        assertEquals("validation_failed", response.code());
        String details = response.body().path("details").toString();
        assertTrue(details.contains("participants[0].id"), details);
        assertTrue(details.contains("participants[1].role"), details);
        assertEquals(0, server.get("/chat/rooms?participantId=ok").body().path("rooms").size());

        server.tokenFor("a");
        server.tokenFor("b");
        String room = server.room("a", "b");
        Api.Response badParts = server.post("/chat/rooms/" + room + "/messages",
                "{\"senderId\":\"a\",\"parts\":[{\"type\":\"text\",\"text\":\"\"},{\"type\":\"mystery\"}]}");
        assertEquals("validation_failed", badParts.code());
        assertTrue(badParts.body().path("details").toString().contains("parts[1].type"));
        assertEquals("validation_failed", server.post("/chat/rooms/" + room + "/messages", "{\"senderId\":\"a\",\"parts\":[]}").code());
        assertEquals("validation_failed", server.post("/chat/rooms/" + room + "/messages",
                "{\"senderId\":\"a\",\"parts\":[{\"type\":\"text\",\"text\":\"" + "x".repeat(8001) + "\"}]}").code());
        assertEquals(0, server.get("/chat/rooms/" + room).body().path("lastSeq").asLong());
        assertEquals("validation_failed", server.post("/auth/token", "{\"userId\":\"a\",\"expiresIn\":59}").code());
        assertEquals("validation_failed", server.post("/auth/token", "{\"userId\":\"a\",\"expiresIn\":86401}").code());
        assertEquals("validation_failed", server.get("/chat/rooms/" + room + "/messages?limit=101").code());
        assertEquals("invalid_cursor", server.get("/chat/rooms/" + room + "/messages?cursor=bm9wZQ").code());
        assertEquals("invalid_cursor", server.get("/chat/rooms?participantId=a&cursor=bm9wZQ").code());
        assertEquals("invalid_request", server.post("/users", "{\"id\":[1,2]}").code());
    }

    @Test
    void unknownRouteWrongMethodAndHugeBody_haveJsonErrors() {
        Api server = Api.newTenant(stack);
        Api.Response unknown = server.get("/no/such/thing");
        assertEquals(404, unknown.status());
        assertEquals("not_found", unknown.code());
        Api.Response wrongMethod = server.send("PUT", "/users", "{}");
        assertEquals(405, wrongMethod.status());
        assertEquals("method_not_allowed", wrongMethod.code());
        Api.Response huge = server.post("/users", "{\"id\":\"big\",\"username\":\"" + "x".repeat(300_000) + "\"}");
        assertEquals(413, huge.status());
        assertEquals("payload_too_large", huge.code());
        assertEquals(404, server.get("/users/big").status());
    }

    @Test
    void missingOrWrongCredentials_are401AndNeverLeakInternals() {
        Api.Response none = Api.anonymous(stack).get("/users/u");
        assertEquals(401, none.status());
        assertEquals("unauthorized", none.code());
        Api.Response badToken = Api.withToken(stack, "not.a.jwt").get("/chat/rooms");
        assertEquals(401, badToken.status());
        assertFalse(badToken.raw().body().contains("Exception"));
        assertEquals("invalid_admin_key", Api.withAdminKey(stack, "adm_wrong").post("/admin/tenants", "{\"name\":\"x\"}").code());
        assertEquals(403, Api.newTenant(stack).post("/admin/tenants", "{\"name\":\"x\"}").status());
    }
}
