// A fake clock, a fake Sendsar server (WebSocket + REST) and token helpers for unit tests.
import { setImmediate as tick } from "node:timers/promises";

/** Manual time: timers fire only when the test advances the clock. */
export class FakeClock {
  nowMs = Date.parse("2026-01-01T00:00:00Z");
  timers = new Map();
  nextId = 1;

  now() {
    return this.nowMs;
  }

  setTimeout(callback, ms) {
    const id = this.nextId++;
    this.timers.set(id, { at: this.nowMs + Math.max(0, ms), callback });
    return id;
  }

  clearTimeout(id) {
    this.timers.delete(id);
  }

  /** Moves time forward, firing due timers in order and letting promises settle between them. */
  async advance(ms) {
    const end = this.nowMs + ms;
    for (;;) {
      await settle();
      let next;
      for (const [id, timer] of this.timers) {
        if (timer.at <= end && (!next || timer.at < next[1].at)) next = [id, timer];
      }
      if (!next) break;
      this.timers.delete(next[0]);
      this.nowMs = Math.max(this.nowMs, next[1].at);
      next[1].callback();
    }
    this.nowMs = end;
    await settle();
  }
}

/** Lets queued microtasks and fake socket events run. */
export async function settle(rounds = 8) {
  for (let i = 0; i < rounds; i++) await tick();
}

/** An unsigned JWT with the given claims: the SDK only reads `exp`. */
export function fakeJwt(claims) {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
  return `${b64({ alg: "none" })}.${b64(claims)}.sig`;
}

export function message(roomId, seq, extra = {}) {
  return {
    id: `m-${roomId}-${seq}`, roomId, seq, senderId: "bob", parts: [{ type: "text", text: `#${seq}` }], previewText: `#${seq}`,
    clientMessageId: null, createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(), editedAt: null, deletedAt: null,
    reactions: [], parentMessageId: null, parentMessage: null, pinnedAt: null, pinnedBy: null, forwardedFromId: null,
    forwardedFromSenderId: null, ...extra,
  };
}

/**
 * The server side: every socket the client opens (`sockets`), the frames they sent, a message store per room that
 * REST pages from, and switches to refuse tokens or stay silent.
 */
export class FakeServer {
  sockets = [];
  rooms = new Map();
  requests = [];
  refusedTokens = new Set();
  answerPings = true;
  answerHello = true;
  /** Like a server from before `x-sendsar-connection-id`: posts a send to every socket, the sender's too. */
  ignoresSenderConnection = false;

  constructor() {
    const server = this;
    this.WebSocket = class FakeWebSocket {
      readyState = 0;
      onopen = null;
      onclose = null;
      onerror = null;
      onmessage = null;
      sent = [];

      constructor(url) {
        this.url = url;
        this.token = new URL(url).searchParams.get("token");
        server.sockets.push(this);
        setImmediate(() => {
          if (this.readyState === 3) return;
          if (server.refusedTokens.has(this.token)) {
            this.readyState = 3;
            this.onerror?.({});
            this.onclose?.({ code: 1006, reason: "" });
            return;
          }
          this.readyState = 1;
          this.onopen?.({});
        });
      }

      send(text) {
        const frame = JSON.parse(text);
        this.sent.push(frame);
        if (frame.action === "hello" && server.answerHello) {
          this.push("ready", { userId: "alice", tenantId: "t", connectionId: `c${server.sockets.indexOf(this)}`, serverTime: "", unreadTotal: 0 });
        } else if (frame.action === "join-room" && frame.roomId.startsWith("missing")) {
          this.push("error", { code: "room_not_found", message: "Room not found" });
        } else if (frame.action === "join-room") {
          this.push("joined-room", { roomId: frame.roomId });
        } else if (frame.action === "ping" && server.answerPings) {
          this.push("pong", { serverTime: "" });
        }
      }

      /** A server → client frame, delivered asynchronously like a real socket. */
      push(event, data) {
        setImmediate(() => {
          if (this.readyState === 1) this.onmessage?.({ data: JSON.stringify({ event, data }) });
        });
      }

      close() {
        if (this.readyState === 3) return;
        this.readyState = 3;
        setImmediate(() => this.onclose?.({ code: 1000, reason: "" }));
      }

      /** The network drops the socket. */
      drop() {
        this.readyState = 3;
        this.onclose?.({ code: 1006, reason: "" });
      }
    };
    this.fetch = (url, init = {}) => this.handle(new URL(url), init);
  }

  get last() {
    return this.sockets[this.sockets.length - 1];
  }

  /** Appends a message to the store (as REST will see it) and returns it. */
  add(roomId, seq) {
    const list = this.rooms.get(roomId) ?? [];
    const m = message(roomId, seq);
    list.push(m);
    this.rooms.set(roomId, list);
    return m;
  }

  async handle(url, init) {
    const auth = init.headers?.authorization;
    this.requests.push({ method: init.method ?? "GET", path: url.pathname, query: Object.fromEntries(url.searchParams), auth, headers: init.headers ?? {} });
    const json = (status, body) => new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
    const path = url.pathname.replace(/^\/v1/, "");
    if (path === "/realtime") return json(200, { wsUrl: "ws://fake/ws" });
    const token = auth?.replace(/^Bearer /, "");
    if (token && this.refusedTokens.has(token)) return json(401, { statusCode: 401, error: "Unauthorized", code: "unauthorized", message: "Bad token" });
    let match = path.match(/^\/users\/([^/]+)$/);
    if (match) return json(200, { id: match[1] });
    match = path.match(/^\/chat\/rooms\/([^/]+)\/messages$/);
    if (match && (init.method ?? "GET") === "GET") {
      const all = [...(this.rooms.get(match[1]) ?? [])].sort((a, b) => a.seq - b.seq);
      const limit = Number(url.searchParams.get("limit") ?? 50);
      if (url.searchParams.has("afterSeq")) {
        const after = Number(url.searchParams.get("afterSeq"));
        const page = all.filter((m) => m.seq > after).slice(0, limit);
        return json(200, { messages: page, nextCursor: page.length === limit ? "more" : null, peerLastReadAt: null, peerLastDeliveredAt: null });
      }
      const page = all.reverse().slice(0, limit);
      return json(200, { messages: page, nextCursor: null, peerLastReadAt: null, peerLastDeliveredAt: null });
    }
    if (match && init.method === "POST") {
      // a send by alice: every open socket gets it but the one the request names
      const list = this.rooms.get(match[1]) ?? [];
      const m = message(match[1], (list.at(-1)?.seq ?? 0) + 1, { senderId: "alice", clientMessageId: JSON.parse(init.body).clientMessageId });
      list.push(m);
      this.rooms.set(match[1], list);
      const skipped = this.ignoresSenderConnection ? undefined : init.headers?.["x-sendsar-connection-id"];
      this.sockets.forEach((socket, i) => {
        if (`c${i}` !== skipped) socket.push("new-message", m);
      });
      return json(201, m);
    }
    if (path === "/chat/forbidden") {
      return json(403, { statusCode: 403, error: "Forbidden", code: "cannot_act_as_other_user", message: "Cannot act as another user" });
    }
    if (path === "/chat/invalid") {
      return json(400, { statusCode: 400, error: "Bad Request", code: "validation_failed", message: "The request is not valid", details: [{ field: "parts", message: "must not be empty" }] });
    }
    return json(404, { statusCode: 404, error: "Not Found", code: "not_found", message: `No such route: ${url.pathname}` });
  }
}
