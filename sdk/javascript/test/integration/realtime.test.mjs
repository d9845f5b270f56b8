import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import Sendsar, { SendsarError } from "../../dist/index.mjs";
import { apiUrl, connected, eventually, nextEvent, sleep, tokenFor, TrackedWebSocket, usersAndRoom } from "./env.mjs";

const clients = [];
const track = (c) => (clients.push(c), c);
after(() => clients.forEach((c) => c.disconnect()));

const text = (t) => ({ parts: [{ type: "text", text: t }] });

describe("two users over a real WebSocket", () => {
  it("a message one user sends reaches the other once, live", async () => {
    const { ids: [alice, bob], room } = await usersAndRoom();
    const a = track(await connected(alice));
    const b = track(await connected(bob));
    const got = [];
    b.on("new-message", (m) => got.push(m));
    await b.joinRoom({ roomId: room.id });
    const sent = await a.sendMessage(room.id, { ...text("Hello Bob"), clientMessageId: crypto.randomUUID() });
    await eventually(() => assert.equal(got.length, 1));
    assert.equal(got[0].id, sent.id);
    assert.equal(got[0].senderId, alice);
    assert.deepEqual(got[0].parts, [{ type: "text", text: "Hello Bob" }]);
    await sleep(300);
    assert.equal(got.length, 1, "no duplicate delivery");
  });

  it("the sending device's socket gets no frame for its own message; its app gets it once from the answer, the others live", async () => {
    const { ids: [alice, bob], room } = await usersAndRoom();
    const framesOfPhone = [];
    const Recording = class extends TrackedWebSocket {
      constructor(url) {
        super(url);
        this.addEventListener("message", (e) => framesOfPhone.push(JSON.parse(e.data).event));
      }
    };
    const phone = track(await connected(alice, { WebSocket: Recording }));
    const laptop = track(await connected(alice));
    const b = track(await connected(bob));
    const got = { phone: [], laptop: [], bob: [] };
    phone.on("new-message", (m) => got.phone.push(m.id));
    laptop.on("new-message", (m) => got.laptop.push(m.id));
    b.on("new-message", (m) => got.bob.push(m.id));
    const sent = await phone.sendMessage(room.id, text("from my phone"));
    await eventually(() => assert.deepEqual(got, { phone: [sent.id], laptop: [sent.id], bob: [sent.id] }));
    await sleep(300);
    assert.deepEqual(got, { phone: [sent.id], laptop: [sent.id], bob: [sent.id] }, "each once");
    assert.ok(!framesOfPhone.includes("new-message"), `the phone's socket got ${framesOfPhone}`);
  });

  it("a repeated clientMessageId returns the original message", async () => {
    const { ids: [alice], room } = await usersAndRoom();
    const a = track(await connected(alice));
    const clientMessageId = crypto.randomUUID();
    const first = await a.sendMessage(room.id, { ...text("once"), clientMessageId });
    const again = await a.sendMessage(room.id, { ...text("once"), clientMessageId });
    assert.equal(again.id, first.id);
    const page = await a.getMessages(room.id);
    assert.equal(page.messages.length, 1);
  });

  it("lists rooms and history for the signed-in user", async () => {
    const { ids: [alice, bob], room } = await usersAndRoom();
    const b = track(await connected(bob));
    const a = track(await connected(alice));
    for (const t of ["one", "two", "three"]) await a.sendMessage(room.id, text(t));
    const rooms = await b.listRooms();
    const mine = rooms.rooms.find((r) => r.id === room.id);
    assert.equal(mine.lastSeq, 3);
    assert.equal(mine.unreadCount, 3);
    const page = await b.getMessages(room.id, { limit: 2 });
    assert.deepEqual(page.messages.map((m) => m.seq), [3, 2]);
    assert.ok(page.nextCursor);
    const older = await b.getMessages(room.id, { cursor: page.nextCursor, limit: 2 });
    assert.deepEqual(older.messages.map((m) => m.seq), [1]);
    const detail = await b.getRoom(room.id);
    assert.deepEqual(detail.participants.map((p) => p.userId).sort(), [alice, bob].sort());
  });

  it("join and leave are acknowledged; a foreign room is a typed 404", async () => {
    const { ids: [alice], room } = await usersAndRoom();
    const a = track(await connected(alice));
    await a.joinRoom(room.id);
    assert.equal(a.joinedRoomId, room.id);
    const left = nextEvent(a, "left-room");
    a.leaveRoom({ roomId: room.id });
    assert.equal((await left).roomId, room.id);
    const { room: other } = await usersAndRoom(["carol", "dave"]);
    await assert.rejects(a.joinRoom(other.id), (e) => e instanceof SendsarError && e.code === "room_not_found");
    await assert.rejects(a.getRoom(other.id), (e) => e instanceof SendsarError && e.status === 404 && e.code === "room_not_found");
  });

  it("a JWT caller cannot act as someone else", async () => {
    const { ids: [alice, bob], room } = await usersAndRoom();
    const a = track(await connected(alice));
    await assert.rejects(a.sendMessage(room.id, { ...text("x"), senderId: bob }),
      (e) => e instanceof SendsarError && e.status === 403 && e.code === "cannot_act_as_other_user");
  });

  it("a refused token ends connect with a typed unauthorized error", async () => {
    const client = track(Sendsar.init({ apiUrl, WebSocket: TrackedWebSocket }));
    await assert.rejects(client.connect({ userId: "nobody", token: "not.a.jwt" }),
      (e) => e instanceof SendsarError && e.code === "unauthorized");
    assert.equal(client.connectionState, "disconnected");
  });

  it("after the socket is cut, missed messages arrive once and in order", async () => {
    const { ids: [alice, bob], room } = await usersAndRoom();
    const a = track(await connected(alice));
    const b = track(await connected(bob, { reconnectBackoff: { minDelayMs: 1500, maxDelayMs: 3000 } }));
    const got = [];
    b.on("new-message", (m) => got.push(m.seq));
    await b.joinRoom(room.id);
    await a.sendMessage(room.id, text("before"));
    await eventually(() => assert.deepEqual(got, [1]));
    const states = [];
    b.on("connection-state", (s) => states.push(s.state));
    const caughtUp = nextEvent(b, "caught-up", () => true, 20_000);
    TrackedWebSocket.all.filter((s) => s.readyState === 1 && s.url.includes(encodeURIComponent(b["token"]))).forEach((s) => s.terminate());
    for (const t of ["while", "you", "were", "away"]) await a.sendMessage(room.id, text(t));
    await caughtUp;
    await a.sendMessage(room.id, text("after"));
    await eventually(() => assert.deepEqual(got, [1, 2, 3, 4, 5, 6]));
    assert.deepEqual(states, ["reconnecting", "connected"]);
    assert.equal(b.joinedRoomId, room.id);
  });

  it("a planned socket replacement loses nothing", async () => {
    const { ids: [alice, bob], room } = await usersAndRoom();
    const a = track(await connected(alice));
    const b = track(await connected(bob, { maxConnectionAgeMs: 1200 }));
    const got = [];
    b.on("new-message", (m) => got.push(m.seq));
    const states = [];
    b.on("connection-state", (s) => states.push(s.state));
    for (let i = 1; i <= 8; i++) {
      await a.sendMessage(room.id, text(`m${i}`));
      await sleep(300);
    }
    await eventually(() => assert.deepEqual(got, [1, 2, 3, 4, 5, 6, 7, 8]));
    assert.deepEqual(states, [], "stays connected across replacements");
  });

  it("refreshes a short-lived token at once and keeps working", async () => {
    const { ids: [alice], room } = await usersAndRoom();
    const first = await tokenFor(alice, 60);
    let refreshed = 0;
    const a = track(Sendsar.init({ apiUrl, WebSocket: TrackedWebSocket }));
    const done = nextEvent(a, "token-refreshed");
    await a.connect({ userId: alice, token: first.token, getToken: async () => {
      refreshed++;
      const fresh = await tokenFor(alice, 120);
      return { token: fresh.token, expiresAt: fresh.expiresAt };
    } });
    await done;
    assert.equal(refreshed, 1);
    const sent = await a.sendMessage(room.id, text("with the new token"));
    assert.equal(sent.senderId, alice);
  });
});
