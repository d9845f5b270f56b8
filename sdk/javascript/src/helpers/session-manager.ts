import { SendsarClient, type ClientOptions } from "../client.js";
import type { Unsubscribe } from "../emitter.js";
import { SendsarError } from "../errors.js";
import { readResponse } from "../rest.js";

/** What your session route returns (Quick start, step 3). */
export interface ChatSession {
  token: string;
  expiresAt?: string;
  apiUrl: string;
  chatUserId: string;
  displayName?: string;
}

export type SessionStatus = "idle" | "loading" | "ready" | "offline" | "error";

export interface SessionManagerState {
  status: SessionStatus;
  /** Set once the first session is loaded; use it when status is "ready". */
  client: SendsarClient | null;
  session: ChatSession | null;
  error: SendsarError | null;
}

export interface SessionManagerOptions {
  /** Your session route: a fetch Response or the parsed session. Called again for every token refresh. */
  fetchSession: () => Promise<Response | ChatSession>;
  onStateChange?: (state: SessionManagerState) => void;
  /** Client options besides apiUrl (e.g. `WebSocket` on Node < 22). */
  clientOptions?: Omit<ClientOptions, "apiUrl">;
  /** Disconnect when the page is hidden for good (pagehide) and reconnect when shown again (default true). */
  disconnectOnPageHide?: boolean;
}

export interface SessionManager {
  start(): Promise<SessionManagerState>;
  stop(): Promise<void>;
  getState(): SessionManagerState;
}

/** Session fetch, connect, token refresh (5 minutes before expiry) and disconnect on page hide, in one object. */
export function createSessionManager(options: SessionManagerOptions): SessionManager {
  let state: SessionManagerState = { status: "idle", client: null, session: null, error: null };
  let subscriptions: Unsubscribe[] = [];
  let pageListeners: (() => void) | undefined;

  const set = (patch: Partial<SessionManagerState>) => {
    state = { ...state, ...patch };
    options.onStateChange?.(state);
  };

  const load = async (): Promise<ChatSession> => {
    const result = await options.fetchSession();
    const session = isResponse(result) ? await readResponse<ChatSession>(result, "fetchSession") : result;
    if (!session || !session.token || !session.apiUrl || !session.chatUserId) {
      throw new SendsarError({ code: "invalid_session", message: "The session route must return { token, apiUrl, chatUserId }" });
    }
    return session;
  };

  const connect = async (client: SendsarClient, session: ChatSession) => {
    await client.connect({
      userId: session.chatUserId,
      token: session.token,
      expiresAt: session.expiresAt,
      getToken: async () => {
        const fresh = await load();
        state = { ...state, session: fresh };
        return { token: fresh.token, expiresAt: fresh.expiresAt };
      },
    });
  };

  const start = async (): Promise<SessionManagerState> => {
    if (state.status === "loading" || state.status === "ready") return state;
    set({ status: "loading", error: null });
    try {
      const session = await load();
      let client = state.client;
      if (!client || client.options.apiUrl !== session.apiUrl) {
        client = new SendsarClient({ ...options.clientOptions, apiUrl: session.apiUrl });
        watch(client);
      }
      set({ client, session });
      await connect(client, session);
      set({ status: "ready" });
      listenToPage();
    } catch (error) {
      set({ status: "error", error: asError(error) });
    }
    return state;
  };

  const watch = (client: SendsarClient) => {
    subscriptions.forEach((off) => off());
    subscriptions = [
      client.on("connection-state", (change) => {
        if (state.status === "idle" || state.status === "loading") return;
        if (change.state === "connected") set({ status: "ready", error: null });
        else if (change.state === "reconnecting" || change.state === "connecting") set({ status: "offline" });
        else if (change.state === "disconnected" && change.code !== 0) {
          set({ status: "error", error: new SendsarError({ code: "unauthorized", status: 401, message: change.reason ?? "disconnected" }) });
        }
      }),
    ];
  };

  const listenToPage = () => {
    if (pageListeners || options.disconnectOnPageHide === false) return;
    const target = (globalThis as { window?: { addEventListener: EventTarget["addEventListener"]; removeEventListener: EventTarget["removeEventListener"] } }).window;
    if (!target || typeof target.addEventListener !== "function") return;
    const hide = () => {
      state.client?.disconnect();
      set({ status: "idle" });
    };
    const show = (event: Event) => {
      if ((event as PageTransitionEvent).persisted) void start();
    };
    target.addEventListener("pagehide", hide);
    target.addEventListener("pageshow", show);
    pageListeners = () => {
      target.removeEventListener("pagehide", hide);
      target.removeEventListener("pageshow", show);
    };
  };

  return {
    start,
    async stop() {
      pageListeners?.();
      pageListeners = undefined;
      state.client?.disconnect();
      set({ status: "idle" });
    },
    getState: () => state,
  };
}

function isResponse(value: unknown): value is Response {
  return typeof value === "object" && value !== null && typeof (value as Response).text === "function"
    && typeof (value as Response).ok === "boolean";
}

function asError(error: unknown): SendsarError {
  return error instanceof SendsarError ? error
    : new SendsarError({ code: "session_failed", message: error instanceof Error ? error.message : String(error), cause: error });
}
