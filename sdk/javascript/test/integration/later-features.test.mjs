// Features of the contract the server may not serve yet. Each one is skipped, with the reason, only while the server
// answers 404 `not_found` for its route (or `unknown_action` for a WebSocket action); any other failure fails.
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { connected, eventually, nextEvent, sleep, unlessRouteMissing, usersAndRoom } from "./env.mjs";

const clients = [];
const track = (c) => (clients.push(c), c);
after(() => clients.forEach((c) => c.disconnect()));
const text = (t) => ({ parts: [{ type: "text", text: t }] });

async function pair() {
  const { ids: [alice, bob], room } = await usersAndRoom();
  const a = track(await connected(alice));
  const b = track(await connected(bob));
  return { alice, bob, room, a, b };
}

describe("features that land with the rest of the contract", () => {
  it("read receipts: markRead answers the read state and the peer gets room-read", async (t) => {
    const { alice, bob, room, a, b } = await pair();
    const sent = await a.sendMessage(room.id, text("read me"));
    const receipt = nextEvent(a, "room-read", (e) => e.userId === bob);
    receipt.catch(() => {});
    let state;
    if (!(await unlessRouteMissing(t, "POST /chat/rooms/{roomId}/read", async () => { state = await b.markRead(room.id, sent.id); }))) return;
    assert.equal(state.lastReadMessageId, sent.id);
    assert.equal(state.unreadCount, 0);
    const event = await receipt;
    assert.equal(event.roomId, room.id);
    assert.equal(event.lastReadSeq, sent.seq);
    const rooms = await b.listRooms();
    assert.equal(rooms.rooms.find((r) => r.id === room.id).unreadCount, 0);
    void alice;
  });

  it("delivery receipts: markDelivered", async (t) => {
    const { room, a, b } = await pair();
    const sent = await a.sendMessage(room.id, text("deliver me"));
    let state;
    if (!(await unlessRouteMissing(t, "POST /chat/rooms/{roomId}/delivery", async () => { state = await b.markDelivered(room.id, sent.id); }))) return;
    assert.equal(state.lastDeliveredMessageId, sent.id);
  });

  it("typing reaches the peer joined to the room", async (t) => {
    const { alice, room, a, b } = await pair();
    await a.joinRoom(room.id);
    await b.joinRoom(room.id);
    const refused = nextEvent(b, "error", (e) => e.code === "unknown_action", 3_000).catch(() => undefined);
    const typing = nextEvent(a, "typing", () => true, 3_000).catch(() => undefined);
    b.setTyping(room.id, true);
    const [error, event] = await Promise.all([refused, typing]);
    if (!event && error) {
      t.skip("server has no WebSocket action `typing` yet (unknown_action)");
      return;
    }
    assert.ok(event, "typing event arrives");
    assert.equal(event.roomId, room.id);
    assert.equal(event.isTyping, true);
    assert.notEqual(event.userId, alice);
  });

  it("reactions, edit, pin and delete update the message for both users", async (t) => {
    const { room, a, b } = await pair();
    const sent = await a.sendMessage(room.id, text("react to me"));
    const updated = nextEvent(b, "message-updated", (m) => m.id === sent.id);
    updated.catch(() => {});
    let reacted;
    if (!(await unlessRouteMissing(t, "POST …/messages/{messageId}/reactions", async () => { reacted = await b.toggleReaction(room.id, sent.id, "👍"); }))) return;
    assert.deepEqual(reacted.reactions.map((r) => r.emoji), ["👍"]);
    await updated;
    const edited = await a.updateMessage(room.id, sent.id, text("edited"));
    assert.ok(edited.editedAt);
    const pinned = await a.pinMessage(room.id, sent.id);
    assert.ok(pinned.pinnedAt);
    assert.equal((await a.getPinnedMessages(room.id)).messages.length, 1);
    const deleted = await a.deleteMessage(room.id, sent.id);
    assert.ok(deleted.deletedAt);
    assert.deepEqual(deleted.parts, []);
  });

  it("device tokens register and unregister", async (t) => {
    const { a } = await pair();
    let registered;
    if (!(await unlessRouteMissing(t, "POST /users/me/device-tokens", async () => {
      registered = await a.registerDeviceToken({ provider: "FCM", token: `tok-${Date.now()}`, platform: "android" });
    }))) return;
    assert.equal(registered.provider, "FCM");
    await a.unregisterDeviceToken(registered.token);
  });

  it("muteRoom shows on the room until unmuteRoom", async (t) => {
    const { room, b } = await pair();
    let muted;
    if (!(await unlessRouteMissing(t, "PUT /chat/rooms/{roomId}/mute", async () => { muted = await b.muteRoom(room.id); }))) return;
    assert.deepEqual(muted, { roomId: room.id, mutedUntil: "9999-12-31T23:59:59.999Z" });
    const mutedRoom = (await b.listRooms()).rooms.find((r) => r.id === room.id);
    assert.equal(mutedRoom.mutedUntil, "9999-12-31T23:59:59.999Z");
    const until = new Date(Date.now() + 3_600_000);
    assert.equal((await b.muteRoom(room.id, until)).mutedUntil, until.toISOString());
    await b.unmuteRoom(room.id);
    assert.equal((await b.listRooms()).rooms.find((r) => r.id === room.id).mutedUntil, null);
  });

  it("uploads a file with progress and sends it as a file part", async (t) => {
    const { room, a, b } = await pair();
    const bytes = new TextEncoder().encode("%PDF-1.4 tiny test file");
    const progress = [];
    let upload;
    if (!(await unlessRouteMissing(t, "POST /chat/uploads/presign", async () => {
      upload = await a.uploadFile(new Blob([bytes], { type: "application/pdf" }), { filename: "tiny.pdf", roomId: room.id, onProgress: (p) => progress.push(p.fraction) });
    }))) return;
    assert.equal(upload.status, "ready");
    assert.equal(upload.sizeBytes, bytes.length);
    assert.equal(progress.at(-1), 1);
    const sent = await a.sendMessage(room.id, { parts: [upload.part] });
    assert.equal(sent.parts[0].uploadId, upload.uploadId);
    const access = await b.getUploadAccess(upload.uploadId);
    const body = await (await fetch(access.accessUrl)).arrayBuffer();
    assert.equal(new TextDecoder().decode(body), new TextDecoder().decode(bytes));
  });

  it("call signaling: start, invite, accept, end", async (t) => {
    const { room, a, b } = await pair();
    const invite = nextEvent(b, "call-invite");
    invite.catch(() => {});
    let active;
    if (!(await unlessRouteMissing(t, "GET /chat/rooms/{roomId}/calls/active", async () => { active = await a.getActiveCall(room.id); }))) return;
    assert.equal(active, null);
    const started = await a.startCall(room.id, { type: "audio" });
    assert.equal(started.call.status, "ringing");
    assert.ok(started.livekit.token);
    const invited = await invite;
    assert.equal(invited.callId, started.call.id);
    const accepted = nextEvent(a, "call-accepted");
    const joined = await b.acceptCall(room.id, started.call.id);
    assert.equal(joined.call.status, "active");
    await accepted;
    const ended = nextEvent(b, "call-ended");
    const over = await a.endCall(room.id, started.call.id);
    assert.equal(over.status, "ended");
    assert.equal((await ended).reason, "hangup");
    await eventually(async () => assert.equal(await a.getActiveCall(room.id), null));
    // the call leaves one data-call record in the room's history
    const history = await b.getMessages(room.id);
    const records = history.messages.flatMap((m) => m.parts).filter((p) => p.type === "data-call" && p.data.callId === started.call.id);
    assert.equal(records.length, 1);
    assert.equal(records[0].data.outcome, "completed");
    await sleep(0);
  });
});
