import { backoffDelay, type BackoffOptions } from "./backoff.js";
import { Timer, type Clock } from "./clock.js";
import {
  ConnectingCode,
  connectingReasons,
  DisconnectedCode,
  disconnectedReasons,
  type ConnectingCodeValue,
  type DisconnectedCodeValue,
} from "./codes.js";
import { frameText, OPEN, openSocket, type WebSocketConstructor, type WebSocketLike } from "./transport.js";
import type { ReadyPayload } from "./types.js";

/** What the UI can show. `reconnecting` = it was connected and is trying to get back. */
export type ConnectionState = "disconnected" | "connecting" | "connected" | "reconnecting";

export interface ConnectionStateChange {
  state: ConnectionState;
  previous: ConnectionState;
  /** Set when leaving `connected` or entering `disconnected`: a code of codes.ts and its text. */
  code?: ConnectingCodeValue | DisconnectedCodeValue;
  reason?: string;
}

export interface ConnectionTuning {
  /** Ping period; the server cuts sockets idle for 10 minutes (default 4 minutes). */
  pingIntervalMs?: number;
  /** How long to wait for a pong before the socket counts as dead (default 20 s). */
  pongTimeoutMs?: number;
  /** How long to wait for `ready` after `hello` (default 15 s). */
  helloTimeoutMs?: number;
  /** Replace the socket before the 2-hour cap of the gateway (default 115 minutes, less up to 2 minutes of jitter). */
  maxConnectionAgeMs?: number;
  reconnectBackoff?: BackoffOptions;
}

export interface ConnectionHooks {
  /** Where to connect, without the token. */
  wsUrl(): Promise<string>;
  token(): string | undefined;
  /** The socket never opened: decide whether the token is at fault (it may be refreshed first). */
  handshakeFailed(): Promise<"retry" | "unauthorized">;
  ready(payload: ReadyPayload, reconnected: boolean): void;
  frame(event: string, data: unknown): void;
  stateChanged(change: ConnectionStateChange): void;
}

interface Frame {
  event?: unknown;
  data?: unknown;
}

/** One WebSocket from open to close: hello → ready, pings, and the pong watchdog. */
class Link {
  private readonly socket: WebSocketLike;
  private readonly helloTimer: Timer;
  private readonly pingTimer: Timer;
  private readonly pongTimer: Timer;
  opened = false;
  ready = false;
  private closed = false;

  constructor(
    ctor: WebSocketConstructor,
    url: string,
    clock: Clock,
    private readonly tuning: Required<Omit<ConnectionTuning, "reconnectBackoff" | "maxConnectionAgeMs">>,
    private readonly on: {
      ready(link: Link, payload: ReadyPayload): void;
      frame(link: Link, event: string, data: unknown): void;
      closed(link: Link, code: ConnectingCodeValue): void;
    },
  ) {
    this.helloTimer = new Timer(clock);
    this.pingTimer = new Timer(clock);
    this.pongTimer = new Timer(clock);
    this.socket = openSocket(ctor, url);
    this.socket.onopen = () => {
      this.opened = true;
      this.send({ action: "hello" });
      this.helloTimer.set(this.tuning.helloTimeoutMs, () => this.fail(ConnectingCode.HelloTimeout));
    };
    this.socket.onmessage = (event) => this.receive(event.data);
    this.socket.onerror = () => {
      // A close event always follows; it decides what happens next.
    };
    this.socket.onclose = () => this.fail(this.opened ? ConnectingCode.TransportClosed : ConnectingCode.HandshakeFailed);
  }

  send(frame: object): boolean {
    if (this.closed || this.socket.readyState !== OPEN) return false;
    try {
      this.socket.send(JSON.stringify(frame));
      return true;
    } catch {
      return false;
    }
  }

  /** Closes without telling the connection (it already knows). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.clearTimers();
    try {
      this.socket.close(1000, "client closed");
    } catch {
      // already closing
    }
  }

  private fail(code: ConnectingCodeValue): void {
    if (this.closed) return;
    this.close();
    this.on.closed(this, code);
  }

  private receive(raw: unknown): void {
    const text = frameText(raw);
    if (text === undefined) return;
    let frame: Frame;
    try {
      frame = JSON.parse(text) as Frame;
    } catch {
      return;
    }
    if (typeof frame !== "object" || frame === null || typeof frame.event !== "string") return;
    if (frame.event === "pong") {
      this.pongTimer.clear();
    }
    if (frame.event === "ready" && !this.ready) {
      this.ready = true;
      this.helloTimer.clear();
      this.schedulePing();
      this.on.ready(this, frame.data as ReadyPayload);
      return;
    }
    this.on.frame(this, frame.event, frame.data);
  }

  private schedulePing(): void {
    this.pingTimer.set(this.tuning.pingIntervalMs, () => {
      if (this.send({ action: "ping" })) {
        this.pongTimer.set(this.tuning.pongTimeoutMs, () => this.fail(ConnectingCode.NoPong));
      }
      this.schedulePing();
    });
  }

  private clearTimers(): void {
    this.helloTimer.clear();
    this.pingTimer.clear();
    this.pongTimer.clear();
  }
}

/**
 * The realtime connection: one current socket, reconnects with backoff and jitter, replaces the socket before the
 * age cap (the new one is ready before the old one closes), and reports every state change through one place.
 */
export class Connection {
  private state: ConnectionState = "disconnected";
  private current: Link | undefined;
  /** A socket being opened: the first one, a reconnect, or the replacement of a live one. */
  private pending: Link | undefined;
  private attempt = 0;
  private everConnected = false;
  private readonly reconnectTimer: Timer;
  private readonly ageTimer: Timer;
  private readonly tuning: Required<Omit<ConnectionTuning, "reconnectBackoff">>;
  private readonly backoff: BackoffOptions;

  constructor(
    private readonly ctor: WebSocketConstructor,
    private readonly clock: Clock,
    private readonly random: () => number,
    private readonly hooks: ConnectionHooks,
    tuning: ConnectionTuning = {},
  ) {
    this.reconnectTimer = new Timer(clock);
    this.ageTimer = new Timer(clock);
    this.tuning = {
      pingIntervalMs: tuning.pingIntervalMs ?? 4 * 60_000,
      pongTimeoutMs: tuning.pongTimeoutMs ?? 20_000,
      helloTimeoutMs: tuning.helloTimeoutMs ?? 15_000,
      maxConnectionAgeMs: tuning.maxConnectionAgeMs ?? 115 * 60_000,
    };
    this.backoff = tuning.reconnectBackoff ?? {};
  }

  get connectionState(): ConnectionState {
    return this.state;
  }

  start(): void {
    if (this.state !== "disconnected") return;
    this.everConnected = false;
    this.attempt = 0;
    this.setState("connecting", ConnectingCode.ConnectCalled);
    void this.open();
  }

  stop(code: DisconnectedCodeValue = DisconnectedCode.DisconnectCalled): void {
    this.reconnectTimer.clear();
    this.ageTimer.clear();
    this.pending?.close();
    this.current?.close();
    this.pending = undefined;
    this.current = undefined;
    if (this.state !== "disconnected") this.setState("disconnected", code);
  }

  /** Sends on the current ready socket; false when there is none. */
  send(frame: object): boolean {
    return this.current?.ready === true && this.current.send(frame);
  }

  /** Opens a new socket now; the current one, if any, stays until the new one is ready. */
  replace(): void {
    if (this.state === "connected" && !this.pending) void this.open();
  }

  private async open(): Promise<void> {
    let url: string;
    try {
      url = await this.hooks.wsUrl();
    } catch {
      this.retryLater();
      return;
    }
    const token = this.hooks.token();
    if (this.state === "disconnected") return;
    if (!token) {
      this.stop(DisconnectedCode.TokenUnavailable);
      return;
    }
    const separator = url.includes("?") ? "&" : "?";
    let link: Link;
    try {
      link = new Link(this.ctor, url + separator + "token=" + encodeURIComponent(token), this.clock, this.tuning, {
        ready: (l, payload) => this.onReady(l, payload),
        frame: (l, event, data) => {
          if (l === this.current || l === this.pending) this.hooks.frame(event, data);
        },
        closed: (l, code) => void this.onClosed(l, code),
      });
    } catch {
      this.retryLater();
      return;
    }
    this.pending = link;
  }

  private onReady(link: Link, payload: ReadyPayload): void {
    if (link !== this.pending) {
      link.close();
      return;
    }
    const previous = this.current;
    this.pending = undefined;
    this.current = link;
    previous?.close();
    const reconnected = this.everConnected;
    this.everConnected = true;
    this.attempt = 0;
    this.reconnectTimer.clear();
    const jitter = this.random() * Math.min(120_000, this.tuning.maxConnectionAgeMs / 10);
    this.ageTimer.set(this.tuning.maxConnectionAgeMs - jitter, () => this.replace());
    this.setState("connected");
    this.hooks.ready(payload, reconnected);
  }

  private async onClosed(link: Link, code: ConnectingCodeValue): Promise<void> {
    if (link === this.pending) {
      this.pending = undefined;
      if (this.current) {
        // A replacement failed while the old socket still works: try again a little later.
        this.ageTimer.set(backoffDelay(this.attempt++, this.backoff, this.random), () => this.replace());
        return;
      }
      if (code === ConnectingCode.HandshakeFailed && (await this.hooks.handshakeFailed()) === "unauthorized") {
        this.stop(DisconnectedCode.Unauthorized);
        return;
      }
      this.retryLater();
      return;
    }
    if (link !== this.current) return;
    this.current = undefined;
    this.ageTimer.clear();
    this.setState("reconnecting", code);
    this.retryLater();
  }

  private retryLater(): void {
    if (this.state === "disconnected") return;
    const delay = backoffDelay(this.attempt++, this.backoff, this.random);
    this.reconnectTimer.set(delay, () => void this.open());
  }

  /** The one place the state changes. */
  private setState(next: ConnectionState, code?: ConnectingCodeValue | DisconnectedCodeValue): void {
    if (next === this.state) return;
    const previous = this.state;
    this.state = next;
    const change: ConnectionStateChange = { state: next, previous };
    if (code !== undefined) {
      change.code = code;
      change.reason = next === "disconnected"
        ? disconnectedReasons[code as DisconnectedCodeValue]
        : connectingReasons[code as ConnectingCodeValue];
    }
    this.hooks.stateChanged(change);
  }
}
