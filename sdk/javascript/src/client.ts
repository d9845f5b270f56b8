import type { BackoffOptions } from "./backoff.js";
import { backoffDelay } from "./backoff.js";
import { systemClock, Timer, type Clock } from "./clock.js";
import { Connection, type ConnectionState, type ConnectionStateChange, type ConnectionTuning } from "./connection.js";
import { DisconnectedCode } from "./codes.js";
import { Emitter, type Handler, type Unsubscribe } from "./emitter.js";
import { SendsarError } from "./errors.js";
import { jwtExpiry, jwtSubject } from "./jwt.js";
import { RestClient, type FetchLike } from "./rest.js";
import { MessageStream } from "./stream.js";
import { defaultWebSocket, type WebSocketConstructor } from "./transport.js";
import type {
  CallEventPayload, CallRecord, CallSession, CallType, CompletedUpload, DeviceToken, LiveKitCredentials, Message,
  MessagePage, MessagePart, PresignedUpload, PushProvider, ReadState, ReadyPayload, RoomDetail, RoomList, RoomMute, ServerEvents,
  SyncResult, TenantSettings, UploadAccess, User,
} from "./types.js";
import { putWithProgress, sizeOf, type UploadBody, type UploadFileOptions } from "./uploads.js";

export interface ClientOptions extends ConnectionTuning {
  /** Base URL of the API including `/v1`, e.g. `http://localhost:3001/v1`. */
  apiUrl: string;
  /** WebSocket URL; by default asked from `GET {apiUrl}/realtime`. */
  wsUrl?: string;
  /** A WebSocket class where there is no global one (Node < 22: `import WebSocket from "ws"`). */
  WebSocket?: WebSocketConstructor;
  fetch?: FetchLike;
  /** Refresh the session token this long before it expires (default 5 minutes). */
  refreshBeforeExpiryMs?: number;
  requestTimeoutMs?: number;
  clock?: Clock;
  random?: () => number;
}

/** A fresh session token, as `getToken` returns it: the JWT alone, or with its expiry. */
export type TokenResult = string | { token: string; expiresAt?: string | number };

export interface ConnectOptions {
  /** The session's user; read from the token's `sub` when absent. */
  userId?: string;
  token: string;
  /** When the token expires (ISO string or ms); read from the JWT when absent. */
  expiresAt?: string | number;
  /** Called before the token expires and when the server refuses it; without it the client cannot refresh. */
  getToken?: () => Promise<TokenResult>;
}

/** Events of `client.on`: every server frame, plus the client's own. */
export interface ClientEvents extends ServerEvents {
  "connection-state": ConnectionStateChange;
  "token-refreshed": { expiresAt: number | undefined };
  /** After a reconnect, once missed messages of known rooms have been delivered. */
  "caught-up": { reconnected: true };
  /** Something went wrong in the background (gap fill, token refresh, a handler). */
  "client-error": SendsarError;
}

export type ClientEventName = keyof ClientEvents;

export interface SendMessageInput {
  parts: MessagePart[];
  /** Makes the send idempotent; one is generated when absent so retries never duplicate. */
  clientMessageId?: string;
  parentMessageId?: string;
}

export interface ListRoomsQuery {
  externalId?: string;
  customTypesFilter?: string[];
  limit?: number;
  cursor?: string;
}

export interface GetMessagesQuery {
  cursor?: string;
  limit?: number;
  afterSeq?: number;
}

interface Pending {
  roomId: string;
  resolve(): void;
  reject(error: SendsarError): void;
}

const enc = encodeURIComponent;

/** The header naming the sending device's own socket: the server posts it no `new-message` for the send. */
const SENDER_CONNECTION_HEADER = "x-sendsar-connection-id";

function fromSocket(socketId: string | undefined): Record<string, string> | undefined {
  return socketId === undefined ? undefined : { [SENDER_CONNECTION_HEADER]: socketId };
}

/** The Sendsar client: REST for rooms, messages, uploads, devices and calls; one realtime connection for events. */
export class SendsarClient {
  readonly options: ClientOptions;
  private readonly rest: RestClient;
  private readonly events: Emitter<ClientEvents>;
  private readonly connection: Connection;
  private readonly stream: MessageStream;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly refreshTimer: Timer;
  private token: string | undefined;
  private tokenExpiresAt: number | undefined;
  private getToken: (() => Promise<TokenResult>) | undefined;
  private refreshing: Promise<boolean> | undefined;
  private refreshAttempt = 0;
  private user: string | undefined;
  private activeRoomId: string | undefined;
  private pendingJoins: Pending[] = [];
  private connectWaiters: { resolve(ready: ReadyPayload): void; reject(error: SendsarError): void }[] = [];
  private wsUrlPromise: Promise<string> | undefined;
  private readonly hasWebSocket: boolean;
  /** The open socket's connection id (from `ready`); undefined while there is none. */
  private socketId: string | undefined;

  constructor(options: ClientOptions) {
    if (!options || !options.apiUrl) throw new SendsarError({ code: "invalid_options", message: "Sendsar.init needs { apiUrl }" });
    this.options = options;
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.refreshTimer = new Timer(this.clock);
    this.events = new Emitter<ClientEvents>((error) => this.report(error, "An event handler threw"));
    const fetchImpl = options.fetch ?? ((input: string, init?: RequestInit) => globalThis.fetch(input, init));
    this.rest = new RestClient(options.apiUrl, fetchImpl, () => this.token, this.clock, options.requestTimeoutMs);
    this.stream = new MessageStream({
      fetchAfter: (roomId, afterSeq) => this.getMessages(roomId, { afterSeq, limit: 100 }, false),
      deliver: (message) => this.events.emit("new-message", message),
      failed: (error) => this.report(error, "Could not fetch missed messages"),
    });
    const ctor = options.WebSocket ?? defaultWebSocket();
    this.hasWebSocket = ctor !== undefined;
    this.connection = new Connection(
      ctor ?? class {},
      this.clock,
      this.random,
      {
        wsUrl: () => this.resolveWsUrl(),
        token: () => this.token,
        handshakeFailed: () => this.checkTokenAfterRefusal(),
        ready: (payload, reconnected) => this.onReady(payload, reconnected),
        frame: (event, data) => this.onFrame(event, data),
        stateChanged: (change) => this.onStateChanged(change),
      },
      options,
    );
  }

  // ---- connection ----

  get connectionState(): ConnectionState {
    return this.connection.connectionState;
  }

  get userId(): string | undefined {
    return this.user;
  }

  /**
   * Authenticates the socket with the session JWT; resolves with the server's `ready` frame. Takes the options, or
   * the bare token (`client.connect(token)`, as on the landing page), whose `sub` names the user.
   */
  connect(session: ConnectOptions | string): Promise<ReadyPayload> {
    const options: ConnectOptions | undefined = typeof session === "string" ? { token: session } : session;
    if (!options?.token) return Promise.reject(new SendsarError({ code: "unauthorized", message: "connect needs a token" }));
    if (!this.hasWebSocket) {
      return Promise.reject(new SendsarError({
        code: "not_connected",
        message: "No WebSocket available: pass Sendsar.init({ apiUrl, WebSocket }) (e.g. the `ws` package on Node < 22)",
      }));
    }
    const userId = options.userId ?? jwtSubject(options.token);
    if (this.user !== undefined && this.user !== userId) this.stream.reset();
    this.user = userId;
    this.getToken = options.getToken ?? this.getToken;
    this.setToken(options.token, options.expiresAt);
    const waiter = new Promise<ReadyPayload>((resolve, reject) => this.connectWaiters.push({ resolve, reject }));
    waiter.catch(() => {});
    if (this.connection.connectionState === "disconnected") {
      this.connection.start();
    } else if (this.connection.connectionState === "connected") {
      this.connection.replace();
    }
    return waiter;
  }

  /** Closes the socket and stops reconnecting and refreshing. */
  disconnect(): void {
    this.refreshTimer.clear();
    this.connection.stop(DisconnectedCode.DisconnectCalled);
  }

  /** Subscribes to an event; returns the unsubscribe function. */
  on<K extends ClientEventName>(event: K, handler: Handler<ClientEvents[K]>): Unsubscribe {
    return this.events.on(event, handler);
  }

  off<K extends ClientEventName>(event: K, handler: Handler<ClientEvents[K]>): void {
    this.events.off(event, handler);
  }

  /** Sets the conversation the socket is joined to (typing, room presence); re-joined after every reconnect. */
  joinRoom(room: string | { roomId: string }): Promise<void> {
    const roomId = typeof room === "string" ? room : room.roomId;
    this.activeRoomId = roomId;
    const done = new Promise<void>((resolve, reject) => this.pendingJoins.push({ roomId, resolve, reject }));
    done.catch(() => {});
    this.connection.send({ action: "join-room", roomId });
    return done;
  }

  leaveRoom(room?: string | { roomId: string }): void {
    const roomId = room === undefined ? this.activeRoomId : typeof room === "string" ? room : room.roomId;
    if (roomId === undefined) return;
    if (roomId === this.activeRoomId) this.activeRoomId = undefined;
    this.connection.send({ action: "leave-room", roomId });
  }

  get joinedRoomId(): string | undefined {
    return this.activeRoomId;
  }

  /** Sends a typing indicator for a room; false when the socket is not connected. */
  setTyping(room: string | { roomId: string; isTyping: boolean }, isTyping?: boolean): boolean {
    const roomId = typeof room === "string" ? room : room.roomId;
    const typing = typeof room === "string" ? isTyping !== false : room.isTyping;
    return this.connection.send({ action: "typing", roomId, isTyping: typing });
  }

  // ---- rooms and messages ----

  listRooms(query: ListRoomsQuery = {}): Promise<RoomList> {
    return this.rest.request<RoomList>("GET", "/chat/rooms", {
      retries: 2,
      query: { externalId: query.externalId, customTypesFilter: query.customTypesFilter?.join(","), limit: query.limit, cursor: query.cursor },
    }).then((list) => {
      for (const room of list.rooms) this.stream.observe(room.id, room.lastSeq);
      return list;
    });
  }

  getRoom(roomId: string): Promise<RoomDetail> {
    return this.rest.request("GET", `/chat/rooms/${enc(roomId)}`, { retries: 2 });
  }

  /** Newest first; with `afterSeq`, oldest first after that seq. */
  getMessages(roomId: string, query: GetMessagesQuery = {}, observe = true): Promise<MessagePage> {
    return this.rest.request<MessagePage>("GET", `/chat/rooms/${enc(roomId)}/messages`, {
      retries: 2,
      query: { cursor: query.cursor, limit: query.limit, afterSeq: query.afterSeq },
    }).then((page) => {
      if (observe && page.messages.length > 0) this.stream.observe(roomId, Math.max(...page.messages.map((m) => m.seq)));
      return page;
    });
  }

  /**
   * With a socket open, names it to the server, which then skips it (one delivery fewer per send); the message from
   * the answer goes through the same stream as `new-message` frames, so the app still gets its own message once, in
   * seq order.
   */
  sendMessage(roomId: string, input: SendMessageInput): Promise<Message> {
    const body = { ...input, clientMessageId: input.clientMessageId ?? newClientMessageId() };
    const socketId = this.socketId;
    return this.rest.request<Message>("POST", `/chat/rooms/${enc(roomId)}/messages`, { body, retries: 2, headers: fromSocket(socketId) })
      .then((message) => {
        if (socketId !== undefined) void this.stream.receive(message);
        return message;
      });
  }

  updateMessage(roomId: string, messageId: string, input: { parts: MessagePart[] }): Promise<Message> {
    return this.rest.request("PATCH", `/chat/rooms/${enc(roomId)}/messages/${enc(messageId)}`, { body: { parts: input.parts } });
  }

  deleteMessage(roomId: string, messageId: string): Promise<Message> {
    return this.rest.request("DELETE", `/chat/rooms/${enc(roomId)}/messages/${enc(messageId)}`);
  }

  toggleReaction(roomId: string, messageId: string, emoji: string): Promise<Message> {
    return this.rest.request("POST", `/chat/rooms/${enc(roomId)}/messages/${enc(messageId)}/reactions`, { body: { emoji } });
  }

  pinMessage(roomId: string, messageId: string): Promise<Message> {
    return this.rest.request("POST", `/chat/rooms/${enc(roomId)}/messages/${enc(messageId)}/pin`);
  }

  unpinMessage(roomId: string, messageId: string): Promise<Message> {
    return this.rest.request("DELETE", `/chat/rooms/${enc(roomId)}/messages/${enc(messageId)}/pin`);
  }

  getPinnedMessages(roomId: string): Promise<{ messages: Message[] }> {
    return this.rest.request("GET", `/chat/rooms/${enc(roomId)}/pinned-messages`, { retries: 2 });
  }

  /** Like `sendMessage`, names the open socket; the copies reach `new-message` through the stream. */
  forwardMessage(roomId: string, messageId: string, targetRoomIds: string[]): Promise<{ messages: Message[] }> {
    const socketId = this.socketId;
    return this.rest.request<{ messages: Message[] }>("POST", `/chat/rooms/${enc(roomId)}/messages/${enc(messageId)}/forward`,
      { body: { targetRoomIds }, headers: fromSocket(socketId) })
      .then((result) => {
        if (socketId !== undefined) for (const copy of result.messages) void this.stream.receive(copy);
        return result;
      });
  }

  /** Read receipt up to a message; the peers get `room-read`. */
  markRead(roomId: string, lastReadMessageId: string): Promise<ReadState> {
    return this.rest.request("POST", `/chat/rooms/${enc(roomId)}/read`, { body: { lastReadMessageId }, retries: 2 });
  }

  markDelivered(roomId: string, lastDeliveredMessageId: string): Promise<ReadState> {
    return this.rest.request("POST", `/chat/rooms/${enc(roomId)}/delivery`, { body: { lastDeliveredMessageId }, retries: 2 });
  }

  hideRoomForMe(roomId: string): Promise<{ roomId: string; hidden: boolean; left: boolean }> {
    return this.rest.request("DELETE", `/chat/rooms/${enc(roomId)}/for-me`);
  }

  clearHistory(roomId: string): Promise<{ roomId: string; clearedAt: string; clearedThroughSeq: number }> {
    return this.rest.request("POST", `/chat/rooms/${enc(roomId)}/clear-history`);
  }

  /**
   * Turns push notifications for the room off for the signed-in user, until `until` (an ISO time) or, without it,
   * until {@link unmuteRoom}. The room's `mutedUntil` shows it.
   */
  muteRoom(roomId: string, until?: string | Date): Promise<RoomMute> {
    const body = until === undefined ? {} : { until: until instanceof Date ? until.toISOString() : until };
    return this.rest.request("PUT", `/chat/rooms/${enc(roomId)}/mute`, { body, retries: 2 });
  }

  /** Turns the room's push notifications back on. */
  unmuteRoom(roomId: string): Promise<void> {
    return this.rest.request("DELETE", `/chat/rooms/${enc(roomId)}/mute`, { retries: 2 });
  }

  /** Everything missed since the given seq per room (`GET /sync`). */
  sync(since: Record<string, number>): Promise<SyncResult> {
    const value = Object.entries(since).map(([roomId, seq]) => `${roomId}:${seq}`).join(",");
    return this.rest.request("GET", "/sync", { query: { since: value }, retries: 2 });
  }

  getUser(userId: string): Promise<User> {
    return this.rest.request("GET", `/users/${enc(userId)}`, { retries: 2 });
  }

  getTenantSettings(): Promise<TenantSettings> {
    return this.rest.request("GET", "/tenant/settings", { retries: 2 });
  }

  // ---- push device tokens ----

  registerDeviceToken(input: { provider: PushProvider; token: string; platform?: "ios" | "android" | "web" }): Promise<DeviceToken> {
    return this.rest.request("POST", "/users/me/device-tokens", { body: input, retries: 2 });
  }

  unregisterDeviceToken(token: string): Promise<void> {
    return this.rest.request("DELETE", `/users/me/device-tokens/${enc(token)}`, { retries: 2 });
  }

  // ---- uploads ----

  presignUpload(input: { filename: string; mediaType: string; sizeBytes: number; roomId?: string }): Promise<PresignedUpload> {
    return this.rest.request("POST", "/chat/uploads/presign", { body: input });
  }

  completeUpload(uploadId: string): Promise<CompletedUpload> {
    return this.rest.request("POST", `/chat/uploads/${enc(uploadId)}/complete`, { retries: 2 });
  }

  abortUpload(uploadId: string): Promise<void> {
    return this.rest.request("DELETE", `/chat/uploads/${enc(uploadId)}`);
  }

  getUploadAccess(uploadId: string): Promise<UploadAccess> {
    return this.rest.request("GET", `/chat/uploads/${enc(uploadId)}/access`, { retries: 2 });
  }

  getUploadAccessUrls(uploadIds: string[]): Promise<{ urls: UploadAccess[] }> {
    return this.rest.request("POST", "/chat/uploads/access", { body: { uploadIds }, retries: 2 });
  }

  /** Presign, PUT with progress, complete; returns the `file` part to send. Aborts the upload if the PUT fails. */
  async uploadFile(body: UploadBody, options: UploadFileOptions = {}): Promise<CompletedUpload & { part: MessagePart }> {
    const named = body as { name?: unknown; type?: unknown };
    const filename = options.filename ?? (typeof named.name === "string" ? named.name : "file");
    const mediaType = options.mediaType || (typeof named.type === "string" && named.type) || "application/octet-stream";
    const presigned = await this.presignUpload({ filename, mediaType, sizeBytes: sizeOf(body), roomId: options.roomId });
    try {
      await putWithProgress(presigned.uploadUrl, body, mediaType, this.options.fetch ?? globalThis.fetch.bind(globalThis), options);
    } catch (error) {
      await this.abortUpload(presigned.uploadId).catch(() => {});
      throw error;
    }
    const completed = await this.completeUpload(presigned.uploadId);
    return { ...completed, part: { type: "file", uploadId: presigned.uploadId, mediaType, filename } };
  }

  // ---- calls (signaling) ----

  /** The active call of a room, or null when there is none. */
  getActiveCall(roomId: string): Promise<CallRecord | null> {
    return this.rest.request<CallRecord>("GET", `/chat/rooms/${enc(roomId)}/calls/active`, { retries: 2 }).catch((error: unknown) => {
      if (error instanceof SendsarError && error.status === 404 && !error.isMissingRoute) return null;
      throw error;
    });
  }

  startCall(roomId: string, options: { type?: CallType } = {}): Promise<CallSession> {
    return this.rest.request("POST", `/chat/rooms/${enc(roomId)}/calls`, { body: options });
  }

  acceptCall(roomId: string, callId: string): Promise<CallSession> {
    return this.rest.request("POST", `/chat/rooms/${enc(roomId)}/calls/${enc(callId)}/accept`);
  }

  declineCall(roomId: string, callId: string): Promise<CallRecord> {
    return this.rest.request("POST", `/chat/rooms/${enc(roomId)}/calls/${enc(callId)}/decline`);
  }

  endCall(roomId: string, callId: string, options: { reason?: "cancelled" | "no_answer" } = {}): Promise<CallRecord> {
    return this.rest.request("POST", `/chat/rooms/${enc(roomId)}/calls/${enc(callId)}/end`, { body: options });
  }

  leaveCall(roomId: string, callId: string): Promise<CallRecord> {
    return this.rest.request("POST", `/chat/rooms/${enc(roomId)}/calls/${enc(callId)}/leave`);
  }

  refreshCallToken(roomId: string, callId: string): Promise<{ livekit: LiveKitCredentials }> {
    return this.rest.request("POST", `/chat/rooms/${enc(roomId)}/calls/${enc(callId)}/token`);
  }

  callInvite(handler: Handler<CallEventPayload>): Unsubscribe {
    return this.on("call-invite", handler);
  }

  callAccepted(handler: Handler<CallEventPayload>): Unsubscribe {
    return this.on("call-accepted", handler);
  }

  callDeclined(handler: Handler<CallEventPayload>): Unsubscribe {
    return this.on("call-declined", handler);
  }

  callEnded(handler: Handler<CallEventPayload>): Unsubscribe {
    return this.on("call-ended", handler);
  }

  // ---- token ----

  /** Replaces the session token for REST and the next socket (the open socket stays: it is already authenticated). */
  setToken(token: string, expiresAt: string | number | undefined): void {
    this.token = token;
    const explicit = typeof expiresAt === "string" ? Date.parse(expiresAt) : expiresAt;
    this.tokenExpiresAt = explicit !== undefined && Number.isFinite(explicit) ? explicit : jwtExpiry(token);
    this.scheduleRefresh(false);
  }

  /** Gets a fresh token through `getToken` now; true when it worked. Concurrent calls share one request. */
  refreshToken(): Promise<boolean> {
    if (!this.getToken) return Promise.resolve(false);
    if (this.refreshing) return this.refreshing;
    const getToken = this.getToken;
    this.refreshing = (async () => {
      try {
        const result = await getToken();
        const token = typeof result === "string" ? result : result.token;
        const expiresAt = typeof result === "string" ? undefined : result.expiresAt;
        if (!token) throw new SendsarError({ code: "unauthorized", message: "getToken returned no token" });
        this.token = token;
        const explicit = typeof expiresAt === "string" ? Date.parse(expiresAt) : expiresAt;
        this.tokenExpiresAt = explicit !== undefined && Number.isFinite(explicit) ? explicit : jwtExpiry(token);
        this.refreshAttempt = 0;
        this.events.emit("token-refreshed", { expiresAt: this.tokenExpiresAt });
        this.scheduleRefresh(true);
        return true;
      } catch (error) {
        this.report(error, "Could not refresh the session token");
        this.refreshTimer.set(backoffDelay(this.refreshAttempt++, { minDelayMs: 2_000, maxDelayMs: 60_000 }, this.random),
          () => void this.refreshToken());
        return false;
      } finally {
        this.refreshing = undefined;
      }
    })();
    return this.refreshing;
  }

  private scheduleRefresh(afterRefresh: boolean): void {
    this.refreshTimer.clear();
    if (!this.getToken || this.tokenExpiresAt === undefined) return;
    const lead = this.options.refreshBeforeExpiryMs ?? 5 * 60_000;
    const remaining = this.tokenExpiresAt - this.clock.now();
    let delay = remaining - lead;
    // A token shorter-lived than the lead is refreshed at once, but a fresh one only halfway, so it cannot loop.
    if (delay <= 0 && afterRefresh) delay = Math.max(5_000, remaining / 2);
    this.refreshTimer.set(Math.max(0, delay), () => void this.refreshToken());
  }

  /** The socket never opened. A refused token is the usual cause: refresh it, or give up when we cannot. */
  private async checkTokenAfterRefusal(): Promise<"retry" | "unauthorized"> {
    const expired = this.tokenExpiresAt !== undefined && this.tokenExpiresAt <= this.clock.now();
    let refused = expired;
    if (!expired && this.user) {
      try {
        await this.rest.request("GET", `/users/${enc(this.user)}`);
      } catch (error) {
        refused = error instanceof SendsarError && error.status === 401;
      }
    }
    if (!refused) return "retry";
    if (await this.refreshToken()) return "retry";
    return "unauthorized";
  }

  // ---- frames ----

  private async resolveWsUrl(): Promise<string> {
    if (this.options.wsUrl) return this.options.wsUrl;
    if (!this.wsUrlPromise) {
      this.wsUrlPromise = this.rest.request<{ wsUrl: string }>("GET", "/realtime", { auth: false, retries: 2 }).then((r) => r.wsUrl);
      this.wsUrlPromise.catch(() => (this.wsUrlPromise = undefined));
    }
    return this.wsUrlPromise;
  }

  private onReady(payload: ReadyPayload, reconnected: boolean): void {
    this.socketId = payload.connectionId;
    for (const waiter of this.connectWaiters.splice(0)) waiter.resolve(payload);
    if (this.activeRoomId !== undefined) this.connection.send({ action: "join-room", roomId: this.activeRoomId });
    this.events.emit("ready", payload);
    if (reconnected) {
      void this.stream.catchUp().then(() => this.events.emit("caught-up", { reconnected: true }));
    }
  }

  private onFrame(event: string, data: unknown): void {
    switch (event) {
      case "new-message":
        void this.stream.receive(data as Message);
        return;
      case "joined-room": {
        const roomId = (data as { roomId: string }).roomId;
        this.settleJoins((p) => p.roomId === roomId, (p) => p.resolve());
        break;
      }
      case "error": {
        const payload = data as { code: string; message: string };
        if (payload.code === "room_not_found" || payload.code === "not_a_participant") {
          const error = new SendsarError({ code: payload.code, status: 404, message: payload.message });
          this.settleJoins(() => true, (p) => p.reject(error));
        }
        break;
      }
    }
    this.events.emit(event as keyof ServerEvents, data as never);
  }

  private settleJoins(match: (p: Pending) => boolean, settle: (p: Pending) => void): void {
    const [matched, rest] = partition(this.pendingJoins, match);
    this.pendingJoins = rest;
    matched.forEach(settle);
  }

  private onStateChanged(change: ConnectionStateChange): void {
    if (change.state !== "connected") this.socketId = undefined;
    if (change.state === "disconnected") {
      this.refreshTimer.clear();
      const unauthorized = change.code === DisconnectedCode.Unauthorized || change.code === DisconnectedCode.TokenUnavailable;
      const error = new SendsarError({
        code: unauthorized ? "unauthorized" : "not_connected",
        status: unauthorized ? 401 : 0,
        message: change.reason ?? "disconnected",
      });
      for (const waiter of this.connectWaiters.splice(0)) waiter.reject(error);
      this.settleJoins(() => true, (p) => p.reject(error));
    }
    this.events.emit("connection-state", change);
  }

  private report(error: unknown, message: string): void {
    const wrapped = error instanceof SendsarError ? error : new SendsarError({ code: "client_error", message, cause: error });
    this.events.emit("client-error", wrapped);
  }
}

function partition<T>(items: T[], match: (item: T) => boolean): [T[], T[]] {
  const yes: T[] = [];
  const no: T[] = [];
  for (const item of items) (match(item) ? yes : no).push(item);
  return [yes, no];
}

export function newClientMessageId(): string {
  const cryptoApi = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (cryptoApi?.randomUUID) return cryptoApi.randomUUID();
  return "c-" + Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12);
}

export type { BackoffOptions };
