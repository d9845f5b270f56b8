import assert from "node:assert/strict";
import { describe, it } from "node:test";
import Sendsar from "../../dist/index.mjs";

/** A client whose fetch records each request and answers what the server would. */
function recording() {
  const requests = [];
  const fetch = async (url, init = {}) => {
    const u = new URL(url);
    requests.push({ method: init.method, path: u.pathname, body: init.body === undefined ? undefined : JSON.parse(init.body) });
    if (init.method === "DELETE") return new Response(null, { status: 204 });
    const body = requests.at(-1).body;
    return new Response(JSON.stringify({ roomId: "r 1", mutedUntil: body.until ?? "9999-12-31T23:59:59.999Z" }),
      { status: 200, headers: { "content-type": "application/json" } });
  };
  const client = Sendsar.init({ apiUrl: "http://fake/v1", fetch, WebSocket: class {} });
  return { client, requests };
}

describe("mute", () => {
  it("muteRoom without a time mutes until unmuted", async () => {
    const { client, requests } = recording();
    const state = await client.muteRoom("r 1");
    assert.deepEqual(requests, [{ method: "PUT", path: "/v1/chat/rooms/r%201/mute", body: {} }]);
    assert.equal(state.mutedUntil, "9999-12-31T23:59:59.999Z");
  });

  it("muteRoom sends a Date or ISO string as until", async () => {
    const { client, requests } = recording();
    const until = new Date(Date.UTC(2030, 0, 2, 3, 4, 5));
    assert.equal((await client.muteRoom("r 1", until)).mutedUntil, "2030-01-02T03:04:05.000Z");
    await client.muteRoom("r 1", "2031-01-01T00:00:00.000Z");
    assert.deepEqual(requests.map((r) => r.body.until), ["2030-01-02T03:04:05.000Z", "2031-01-01T00:00:00.000Z"]);
  });

  it("unmuteRoom deletes the mute", async () => {
    const { client, requests } = recording();
    assert.equal(await client.unmuteRoom("r 1"), undefined);
    assert.deepEqual(requests.map((r) => `${r.method} ${r.path}`), ["DELETE /v1/chat/rooms/r%201/mute"]);
  });
});
