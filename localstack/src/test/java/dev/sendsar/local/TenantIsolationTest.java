package dev.sendsar.local;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Another tenant's users, rooms and messages are 404 on every endpoint; a JWT acts only as its own user. */
class TenantIsolationTest {
    private final LocalStack stack = TestStack.get();

    @Test
    void anotherTenantsObjects_are404OnEveryEndpoint() {
        Api tenantA = Api.newTenant(stack);
        Api tenantB = Api.newTenant(stack);
        tenantA.tokenFor("alice");
        tenantA.tokenFor("bob");
        String room = tenantA.room("alice", "bob");
        String message = tenantA.post("/chat/rooms/" + room + "/messages",
                "{\"senderId\":\"alice\",\"parts\":[{\"type\":\"text\",\"text\":\"secret\"}]}").body().path("id").asText();

        assertEquals(404, tenantB.get("/users/alice").status());
        assertEquals("user_not_found", tenantB.post("/auth/token", "{\"userId\":\"alice\"}").code());
        assertEquals("room_not_found", tenantB.get("/chat/rooms/" + room).code());
        assertEquals("room_not_found", tenantB.get("/chat/rooms/" + room + "/messages").code());
        assertEquals(404, tenantB.post("/chat/rooms/" + room + "/messages",
                "{\"senderId\":\"alice\",\"parts\":[{\"type\":\"text\",\"text\":\"x\"}]}").status());
        assertEquals(0, tenantB.get("/chat/rooms?participantId=alice").body().path("rooms").size());

        // tenant B's own "alice" is a different person
        Api aliceOfB = Api.withToken(stack, tenantB.tokenFor("alice"));
        assertEquals(404, aliceOfB.get("/chat/rooms/" + room).status());
        assertEquals(404, aliceOfB.get("/chat/rooms/" + room + "/messages").status());
        assertEquals(0, aliceOfB.get("/chat/rooms").body().path("rooms").size());
        assertEquals(1, tenantA.get("/chat/rooms/" + room + "/messages").body().path("messages").size());
        assertEquals(message, tenantA.get("/chat/rooms/" + room + "/messages").body().path("messages").get(0).path("id").asText());
    }

    @Test
    void aSessionToken_actsOnlyAsItsOwnUser() {
        Api server = Api.newTenant(stack);
        Api alice = Api.withToken(stack, server.tokenFor("alice"));
        server.tokenFor("bob");
        Api carol = Api.withToken(stack, server.tokenFor("carol"));
        String room = server.room("alice", "bob");

        Api.Response impersonation = alice.post("/chat/rooms/" + room + "/messages",
                "{\"senderId\":\"bob\",\"parts\":[{\"type\":\"text\",\"text\":\"I am bob\"}]}");
        assertEquals(403, impersonation.status());
        assertEquals("cannot_act_as_other_user", impersonation.code());
        assertEquals("Cannot act as another user", impersonation.body().path("message").asText());
        assertEquals("cannot_act_as_other_user", alice.get("/chat/rooms?participantId=bob").code());
        assertEquals("cannot_act_as_other_user", alice.get("/chat/rooms/" + room + "/messages?viewerId=bob").code());

        // a JWT user outside the room cannot tell the room exists
        assertEquals("room_not_found", carol.get("/chat/rooms/" + room).code());
        assertEquals("room_not_found", carol.post("/chat/rooms/" + room + "/messages",
                "{\"parts\":[{\"type\":\"text\",\"text\":\"let me in\"}]}").code());
        // server-only endpoints refuse session tokens
        assertEquals(403, alice.post("/users", "{\"id\":\"mallory\"}").status());
        assertEquals(403, alice.post("/auth/token", "{\"userId\":\"bob\"}").status());
        assertEquals(403, alice.post("/chat/rooms", "{\"participants\":[{\"id\":\"alice\"}]}").status());
        assertEquals(0, server.get("/chat/rooms/" + room + "/messages").body().path("messages").size());
    }

    @Test
    void aRevokedApiKey_stopsWorkingAtOnce() {
        Api admin = Api.admin(stack);
        Api.Response created = admin.post("/admin/tenants", "{\"name\":\"revocation\"}");
        String tenantId = created.body().path("tenant").path("id").asText();
        Api.Response second = admin.post("/admin/tenants/" + tenantId + "/api-keys", "");
        assertEquals(201, second.status(), second.raw().body());
        Api first = Api.withKey(stack, created.body().path("apiKey").asText());
        assertEquals(201, first.post("/users", "{\"id\":\"u\"}").status());

        assertEquals(204, admin.delete("/admin/tenants/" + tenantId + "/api-keys/" + created.body().path("keyId").asText()).status());
        assertEquals("invalid_api_key", first.get("/users/u").code());
        assertEquals(200, Api.withKey(stack, second.body().path("apiKey").asText()).get("/users/u").status());
        assertEquals(404, admin.delete("/admin/tenants/" + tenantId + "/api-keys/" + created.body().path("keyId").asText()).status());
        assertEquals("admin_key_required",
                Api.withKey(stack, second.body().path("apiKey").asText()).post("/admin/tenants", "{\"name\":\"x\"}").code());
    }
}
