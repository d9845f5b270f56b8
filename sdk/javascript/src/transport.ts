/**
 * The WebSocket the SDK needs: the WHATWG shape that browsers, Node 22+ and the `ws` package share.
 * Inject one with `Sendsar.init({ apiUrl, WebSocket })` where there is no global WebSocket (Node < 22).
 */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
}

/** Any WebSocket class; typed loosely so that `ws`, DOM and test fakes all fit without casts at the call site. */
export type WebSocketConstructor = new (url: string) => object;

export const OPEN = 1;

export function openSocket(ctor: WebSocketConstructor, url: string): WebSocketLike {
  return new ctor(url) as WebSocketLike;
}

export function defaultWebSocket(): WebSocketConstructor | undefined {
  const candidate = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  return typeof candidate === "function" ? candidate : undefined;
}

/** Text of a message event: strings, and Buffers or ArrayBuffers as `ws` may hand them. */
export function frameText(data: unknown): string | undefined {
  if (typeof data === "string") return data;
  if (data instanceof ArrayBuffer) return new TextDecoder().decode(new Uint8Array(data));
  if (ArrayBuffer.isView(data)) return new TextDecoder().decode(data);
  return undefined;
}
