import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { setup } from "./setup.mjs";

describe("token refresh", () => {
  it("refreshes 5 minutes before expiry, uses the new token, and keeps the socket", async () => {
    const { server, clock, client, connect, token } = setup();
    let calls = 0;
    let fresh;
    await connect({ getToken: async () => { calls++; fresh = token(60); return fresh; } });
    await clock.advance(55 * 60_000 - 1_000);
    assert.equal(calls, 0);
    await clock.advance(1_000);
    assert.equal(calls, 1);
    await client.getRoom("r1").catch(() => {});
    assert.equal(server.requests.at(-1).auth, `Bearer ${fresh}`);
    assert.equal(server.sockets.length, 1, "the open socket stays: no event is lost");
    server.last.drop();
    await clock.advance(1_000);
    assert.ok(server.last.url.endsWith(encodeURIComponent(fresh)), "the next socket uses the new token");
  });

  it("refreshes at once when the token lives less than 5 minutes, without looping", async () => {
    const { clock, client, token } = setup();
    let calls = 0;
    const ready = client.connect({ userId: "alice", token: token(2), getToken: async () => { calls++; return token(2); } });
    await clock.advance(0);
    await ready;
    assert.equal(calls, 1);
    await clock.advance(30_000);
    assert.equal(calls, 1, "a fresh short token is refreshed halfway, not at once");
    await clock.advance(60_000);
    assert.equal(calls, 2);
  });

  it("uses expiresAt from the session when given", async () => {
    const { clock, token, connect } = setup();
    let calls = 0;
    await connect({ token: token(60), expiresAt: new Date(clock.now() + 10 * 60_000).toISOString(), getToken: async () => { calls++; return token(60); } });
    await clock.advance(5 * 60_000);
    assert.equal(calls, 1);
  });

  it("retries a failed refresh with backoff and reports it", async () => {
    const { clock, connect, client, token } = setup();
    let calls = 0;
    const errors = [];
    client.on("client-error", (e) => errors.push(e));
    await connect({ token: token(6), getToken: async () => { calls++; if (calls < 3) throw new Error("session route down"); return token(60); } });
    await clock.advance(60_000);
    assert.equal(calls, 1);
    await clock.advance(10_000);
    assert.equal(calls, 3);
    assert.equal(errors.length, 2);
    assert.equal(errors[0].code, "client_error");
  });
});

describe("connect with a bare token", () => {
  it("connects with client.connect(token), the user read from the token, like connect({ userId, token })", async () => {
    const { server, clock, client, token } = setup();
    const bare = token(60);
    const ready = client.connect(bare);
    await clock.advance(0);
    await ready;
    assert.equal(client.connectionState, "connected");
    assert.equal(client.userId, "alice");
    assert.ok(server.last.url.endsWith(encodeURIComponent(bare)), "the socket carries the token");
  });

  it("refuses a call without any token", async () => {
    const { client } = setup();
    await assert.rejects(client.connect(""), (e) => e.code === "unauthorized");
    await assert.rejects(client.connect(undefined), (e) => e.code === "unauthorized");
  });
});
