import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { message } from "./fakes.mjs";
import { setup } from "./setup.mjs";

describe("message delivery", () => {
  it("a send names the open socket, which the server then skips; the app gets its own message once from the answer", async () => {
    const { server, clock, client, connect, received } = setup();
    await connect();
    server.last.push("new-message", server.add("r1", 1));
    await clock.advance(0);
    const sent = await client.sendMessage("r1", { parts: [{ type: "text", text: "mine" }] });
    await clock.advance(0);
    const request = server.requests.find((r) => r.method === "POST");
    assert.equal(request.headers["x-sendsar-connection-id"], "c0", "the connection id from ready");
    assert.equal(sent.seq, 2);
    assert.deepEqual(received, ["r1:1", "r1:2"]);
  });

  it("delivers its own message after what it missed before it, in seq order", async () => {
    const { server, clock, client, connect, received } = setup();
    await connect();
    server.last.push("new-message", server.add("r1", 1));
    await clock.advance(0);
    server.add("r1", 2); // its frame was lost
    await client.sendMessage("r1", { parts: [{ type: "text", text: "mine" }] });
    await clock.advance(0);
    assert.deepEqual(received, ["r1:1", "r1:2", "r1:3"]);
  });

  it("gets its own message once from a server that posts it to the sending socket too", async () => {
    const { server, clock, client, connect, received } = setup();
    server.ignoresSenderConnection = true;
    await connect();
    await client.sendMessage("r1", { parts: [{ type: "text", text: "mine" }] });
    await clock.advance(0);
    assert.deepEqual(received, ["r1:1"]);
  });

  it("without an open socket names none and emits nothing (there is no stream to keep)", async () => {
    const { server, clock, client, received } = setup();
    await client.sendMessage("r1", { parts: [{ type: "text", text: "mine" }] });
    await clock.advance(0);
    assert.equal(server.requests.find((r) => r.method === "POST").headers["x-sendsar-connection-id"], undefined);
    assert.deepEqual(received, []);
  });

  it("delivers a message pushed twice only once", async () => {
    const { server, clock, connect, received } = setup();
    await connect();
    const m = server.add("r1", 1);
    server.last.push("new-message", m);
    server.last.push("new-message", m);
    await clock.advance(0);
    assert.deepEqual(received, ["r1:1"]);
  });

  it("fills a seq gap from REST before delivering what came after it", async () => {
    const { server, clock, connect, received } = setup();
    await connect();
    server.last.push("new-message", server.add("r1", 1));
    await clock.advance(0);
    server.add("r1", 2);
    server.add("r1", 3);
    server.last.push("new-message", server.add("r1", 4));
    await clock.advance(0);
    assert.deepEqual(received, ["r1:1", "r1:2", "r1:3", "r1:4"]);
    assert.equal(server.requests.find((r) => r.path.endsWith("/messages")).query.afterSeq, "1");
  });

  it("after a reconnect fetches what was missed, once and in order, then keeps deduping", async () => {
    const { server, clock, client, connect, received } = setup();
    await connect();
    await client.listRooms().catch(() => {}); // fake has no room list: the baseline comes from the messages below
    server.last.push("new-message", server.add("r1", 1));
    server.last.push("new-message", server.add("r1", 2));
    await clock.advance(0);
    server.last.drop();
    server.add("r1", 3);
    server.add("r1", 4);
    let caughtUp = false;
    client.on("caught-up", () => (caughtUp = true));
    await clock.advance(2_000);
    assert.ok(caughtUp);
    assert.deepEqual(received, ["r1:1", "r1:2", "r1:3", "r1:4"]);
    server.last.push("new-message", server.rooms.get("r1")[3]); // at-least-once: seq 4 again
    server.last.push("new-message", server.add("r1", 5));
    await clock.advance(0);
    assert.deepEqual(received, ["r1:1", "r1:2", "r1:3", "r1:4", "r1:5"]);
  });

  it("pages through a long gap", async () => {
    const { server, clock, client, connect, received } = setup();
    await connect();
    server.add("r1", 1);
    await client.getMessages("r1"); // history up to seq 1 is the baseline
    for (let seq = 2; seq <= 250; seq++) server.add("r1", seq);
    server.last.push("new-message", server.add("r1", 251));
    await clock.advance(0);
    assert.equal(received.length, 250);
    assert.equal(received[0], "r1:2");
    assert.equal(received.at(-1), "r1:251");
    assert.deepEqual(received, [...received].sort((a, b) => Number(a.split(":")[1]) - Number(b.split(":")[1])));
  });

  it("does not report history the app loaded as new messages", async () => {
    const { server, clock, client, connect, received } = setup();
    await connect();
    server.add("r1", 1);
    server.add("r1", 2);
    await client.getMessages("r1");
    server.last.push("new-message", server.rooms.get("r1")[1]);
    server.last.push("new-message", server.add("r1", 3));
    await clock.advance(0);
    assert.deepEqual(received, ["r1:3"]);
  });

  it("keeps rooms independent", async () => {
    const { server, clock, connect, received } = setup();
    await connect();
    server.last.push("new-message", server.add("a", 1));
    server.last.push("new-message", message("b", 1));
    server.last.push("new-message", server.add("a", 2));
    await clock.advance(0);
    assert.deepEqual(received, ["a:1", "b:1", "a:2"]);
  });
});
