import assert from "node:assert/strict";
import { describe, it } from "node:test";
import Sendsar, {
  backoffDelay, ComposerTypingController, createRoomSubscription, createSessionManager, createTenantPresenceTracker,
  mergeMessagesById, reconcileSelfSentMessage, SendsarError,
} from "../../dist/index.mjs";
import { FakeClock, fakeJwt, message } from "./fakes.mjs";
import { setup } from "./setup.mjs";

describe("mergeMessagesById and reconcileSelfSentMessage", () => {
  it("replaces by id and keeps seq order", () => {
    const list = [message("r", 2), message("r", 1)];
    const edited = { ...message("r", 1), editedAt: "now" };
    const merged = mergeMessagesById(list, [edited, message("r", 3)]);
    assert.deepEqual(merged.map((m) => m.seq), [1, 2, 3]);
    assert.equal(merged[0].editedAt, "now");
  });

  it("swaps the optimistic copy for the server message, whichever arrives first", () => {
    const optimistic = { id: "tmp-1", clientMessageId: "c1", createdAt: "2026-01-01T00:01:00Z", pending: true };
    const server = { ...message("r", 2), clientMessageId: "c1" };
    const afterRest = reconcileSelfSentMessage([message("r", 1), optimistic], server);
    assert.deepEqual(afterRest.map((m) => m.id), [message("r", 1).id, server.id]);
    const afterEventToo = reconcileSelfSentMessage(afterRest, server);
    assert.equal(afterEventToo.length, 2);
  });
});

describe("ComposerTypingController", () => {
  it("sends true once per keep-alive period and false after idle", async () => {
    const clock = new FakeClock();
    const sent = [];
    const typing = new ComposerTypingController({ setTyping: (roomId, on) => sent.push(`${roomId}:${on}`) }, { roomId: "r", clock });
    typing.handleInput();
    await clock.advance(500);
    typing.handleInput();
    await clock.advance(2_000);
    typing.handleInput();
    assert.deepEqual(sent, ["r:true", "r:true"]);
    await clock.advance(3_000);
    assert.deepEqual(sent, ["r:true", "r:true", "r:false"]);
    typing.handleInput();
    typing.stop();
    assert.deepEqual(sent.slice(3), ["r:true", "r:false"]);
  });
});

describe("createTenantPresenceTracker", () => {
  it("follows the snapshot and presence events", async () => {
    const { server, clock, client, connect } = setup();
    await connect();
    const seen = [];
    const presence = createTenantPresenceTracker(client, { onChange: (ids) => seen.push(ids.sort().join(",")) });
    server.last.push("tenant-presence-snapshot", { onlineUserIds: ["alice", "bob"] });
    server.last.push("tenant-presence", { userId: "bob", online: false });
    server.last.push("tenant-presence", { userId: "carol", online: true });
    await clock.advance(0);
    assert.deepEqual(seen, ["alice,bob", "alice", "alice,carol"]);
    assert.equal(presence.isOnline("carol"), true);
    presence.destroy();
  });
});

describe("createRoomSubscription", () => {
  it("joins, loads history oldest first, and reports live messages once", async () => {
    const { server, clock, client, connect } = setup();
    await connect();
    server.add("r1", 1);
    server.add("r1", 2);
    const initial = [];
    const live = [];
    const sub = createRoomSubscription(client, {
      roomId: "r1", userId: "alice",
      onInitialMessages: (ms) => initial.push(...ms.map((m) => m.seq)),
      onMessage: (m) => live.push(m.seq),
    });
    server.last.push("new-message", server.rooms.get("r1")[1]); // arrives while history loads
    await sub.ready;
    server.last.push("new-message", server.add("r1", 3));
    await clock.advance(0);
    assert.deepEqual(initial, [1, 2]);
    assert.deepEqual(live, [3]);
    assert.ok(server.last.sent.some((f) => f.action === "join-room" && f.roomId === "r1"));
    sub.destroy();
    assert.ok(server.last.sent.some((f) => f.action === "leave-room"));
  });
});

describe("createSessionManager", () => {
  it("goes loading → ready with a client, offline while reconnecting, and reports a bad session route", async () => {
    const { server, clock } = setup();
    const statuses = [];
    const session = { token: fakeJwt({ exp: Math.floor(clock.now() / 1000) + 3600 }), apiUrl: "http://fake/v1", chatUserId: "alice" };
    const manager = createSessionManager({
      fetchSession: async () => new Response(JSON.stringify(session), { status: 200 }),
      onStateChange: (s) => statuses.push(s.status),
      clientOptions: { WebSocket: server.WebSocket, fetch: server.fetch, clock, random: () => 0.5 },
    });
    const starting = manager.start();
    await clock.advance(0);
    const state = await starting;
    assert.equal(state.status, "ready");
    assert.ok(state.client);
    server.last.drop();
    await clock.advance(2_000);
    assert.deepEqual(statuses, ["loading", "loading", "ready", "offline", "ready"]);
    await manager.stop();

    const failing = createSessionManager({ fetchSession: async () => new Response("{}", { status: 401 }) });
    const failed = await failing.start();
    assert.equal(failed.status, "error");
    assert.ok(failed.error instanceof SendsarError);
    assert.equal(failed.error.status, 401);
  });
});

describe("REST errors and misc", () => {
  it("carries the server's code, status and details", async () => {
    const { client } = setup();
    const rest = (path) => client.getRoom("x").catch(() => {}) && client["rest"].request("GET", path);
    await assert.rejects(rest("/chat/forbidden"), (e) => e instanceof SendsarError && e.status === 403 && e.code === "cannot_act_as_other_user");
    await assert.rejects(rest("/chat/invalid"), (e) => e.code === "validation_failed" && e.details[0].field === "parts");
    await assert.rejects(client.markRead("r1", "m1"), (e) => e.isMissingRoute === true);
  });

  it("network failures are typed and retryable", async () => {
    const client = Sendsar.init({ apiUrl: "http://fake/v1", fetch: async () => { throw new TypeError("fetch failed"); }, WebSocket: class {} });
    await assert.rejects(client.markRead("r", "m"), (e) => e instanceof SendsarError && e.code === "network_error" && e.isRetryable);
  });

  it("backoff grows, is capped and jittered", () => {
    assert.equal(backoffDelay(0, { minDelayMs: 1000, maxDelayMs: 8000 }, () => 0), 500);
    assert.equal(backoffDelay(0, { minDelayMs: 1000, maxDelayMs: 8000 }, () => 1), 1000);
    assert.equal(backoffDelay(3, { minDelayMs: 1000, maxDelayMs: 8000 }, () => 1), 8000);
    assert.equal(backoffDelay(30, { minDelayMs: 1000, maxDelayMs: 8000 }, () => 1), 8000);
  });

  it("the default export exposes init and the helpers, as the browser global does", () => {
    for (const name of ["init", "createSessionManager", "createRoomSubscription", "ComposerTypingController", "createTenantPresenceTracker", "mergeMessagesById", "reconcileSelfSentMessage"]) {
      assert.equal(typeof Sendsar[name], "function", name);
    }
  });
});
