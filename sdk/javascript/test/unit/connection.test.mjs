import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConnectingCode, DisconnectedCode, SendsarError } from "../../dist/index.mjs";
import { setup } from "./setup.mjs";

describe("connection", () => {
  it("connect sends hello and resolves with the ready frame", async () => {
    const { server, client, connect, states } = setup();
    const ready = await connect();
    assert.equal(ready.userId, "alice");
    assert.deepEqual(server.last.sent[0], { action: "hello" });
    assert.equal(client.connectionState, "connected");
    assert.deepEqual(states.map((s) => s.state), ["connecting", "connected"]);
    assert.match(server.last.url, /^ws:\/\/fake\/ws\?token=/);
  });

  it("reconnects with jittered backoff after the socket drops, then re-joins the active room", async () => {
    const { server, clock, client, connect, states } = setup({ reconnectBackoff: { minDelayMs: 1000, maxDelayMs: 8000 } });
    await connect();
    await client.joinRoom({ roomId: "r1" });
    server.last.drop();
    assert.equal(client.connectionState, "reconnecting");
    assert.equal(states.at(-1).code, ConnectingCode.TransportClosed);
    // attempt 0 with random 0.5: between 500 and 1000 ms → 750 ms
    await clock.advance(700);
    assert.equal(server.sockets.length, 1, "waits for the backoff delay");
    await clock.advance(100);
    assert.equal(server.sockets.length, 2);
    assert.equal(client.connectionState, "connected");
    assert.deepEqual(server.last.sent.map((f) => f.action), ["hello", "join-room"]);
    assert.equal(server.last.sent[1].roomId, "r1");
  });

  it("backs off further after each failed attempt", async () => {
    const { server, clock, client, connect } = setup({ reconnectBackoff: { minDelayMs: 1000, maxDelayMs: 8000 } });
    await connect();
    server.answerHello = false;
    server.last.drop();
    await clock.advance(750); // attempt 0 → socket 2 opens, never gets ready
    assert.equal(server.sockets.length, 2);
    server.last.drop();
    await clock.advance(1200);
    assert.equal(server.sockets.length, 2, "attempt 1 waits 1250 ms (500…2000 with random 0.5)");
    await clock.advance(100);
    assert.equal(server.sockets.length, 3);
    assert.equal(client.connectionState, "reconnecting");
  });

  it("pings before the idle cut and reconnects when no pong comes back", async () => {
    const { server, clock, client, connect, states } = setup();
    await connect();
    await clock.advance(4 * 60_000);
    assert.deepEqual(server.last.sent.at(-1), { action: "ping" });
    assert.equal(client.connectionState, "connected");
    server.answerPings = false;
    await clock.advance(4 * 60_000 + 20_000);
    assert.equal(states.find((s) => s.state === "reconnecting").code, ConnectingCode.NoPong);
    await clock.advance(2_000);
    assert.equal(client.connectionState, "connected");
    assert.equal(server.sockets.length, 2);
  });

  it("replaces the socket before the 2-hour cap without leaving the connected state", async () => {
    const { server, clock, client, connect, states } = setup();
    await connect();
    await client.joinRoom("r1");
    await clock.advance(113 * 60_000); // 115 min less 1 min of jitter (random 0.5 of 2 min)
    assert.equal(server.sockets.length, 1);
    await clock.advance(60_000);
    assert.equal(server.sockets.length, 2);
    assert.equal(server.sockets[0].readyState, 3, "old socket closed once the new one is ready");
    assert.deepEqual(server.last.sent.map((f) => f.action), ["hello", "join-room"]);
    assert.deepEqual(states.map((s) => s.state), ["connecting", "connected"]);
  });

  it("stops with Unauthorized when the server refuses the token and there is no getToken", async () => {
    const { server, client, clock, token, states } = setup();
    const jwt = token();
    server.refusedTokens.add(jwt);
    const connecting = client.connect({ userId: "alice", token: jwt });
    await clock.advance(0);
    await assert.rejects(connecting, (e) => e instanceof SendsarError && e.code === "unauthorized" && e.status === 401);
    assert.equal(client.connectionState, "disconnected");
    assert.equal(states.at(-1).code, DisconnectedCode.Unauthorized);
    assert.equal(server.sockets.length, 1, "no retry loop against a refused token");
  });

  it("gets a fresh token through getToken when the socket is refused, and connects", async () => {
    const { server, client, clock, token } = setup();
    const bad = token();
    server.refusedTokens.add(bad);
    const good = token(30);
    const connecting = client.connect({ userId: "alice", token: bad, getToken: async () => good });
    await clock.advance(1_000);
    await connecting;
    assert.equal(client.connectionState, "connected");
    assert.ok(server.last.url.endsWith(encodeURIComponent(good)));
  });

  it("disconnect stops reconnecting", async () => {
    const { server, clock, client, connect, states } = setup();
    await connect();
    server.last.drop();
    client.disconnect();
    await clock.advance(60_000);
    assert.equal(server.sockets.length, 1);
    assert.equal(states.at(-1).state, "disconnected");
    assert.equal(states.at(-1).code, DisconnectedCode.DisconnectCalled);
  });

  it("rejects a join the server refuses with a typed error", async () => {
    const { server, client, connect } = setup();
    await connect();
    const joining = client.joinRoom("missing-room");
    await assert.rejects(joining, (e) => e instanceof SendsarError && e.code === "room_not_found");
  });
});
