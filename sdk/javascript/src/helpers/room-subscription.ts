import type { SendsarClient } from "../client.js";
import type { Unsubscribe } from "../emitter.js";
import { SendsarError } from "../errors.js";
import type { Message, ReadState, TypingPayload } from "../types.js";

export interface RoomSubscriptionOptions {
  roomId: string;
  /** The signed-in user (chatUserId): own typing events are not reported. */
  userId: string;
  /** Messages loaded at first (default 50). */
  limit?: number;
  /** The latest messages, oldest first. */
  onInitialMessages?: (messages: Message[]) => void;
  /** A new message of this room, once, in order (also the ones missed while offline). */
  onMessage?: (message: Message) => void;
  onMessageUpdated?: (message: Message) => void;
  onTyping?: (event: TypingPayload) => void;
  onRead?: (event: ReadState) => void;
  onError?: (error: SendsarError) => void;
}

export interface RoomSubscription {
  /** Settles when the room is joined and its history delivered (a refused join is reported to onError). */
  readonly ready: Promise<void>;
  /** Older messages before the first loaded page, oldest first; empty when there are no more. */
  loadOlder(limit?: number): Promise<Message[]>;
  destroy(): void;
}

/**
 * Opens one conversation: waits for the connection, joins the room, loads history, then reports live updates.
 * Messages that arrive while history loads are held back and reported after it, without repeats.
 */
export function createRoomSubscription(client: SendsarClient, options: RoomSubscriptionOptions): RoomSubscription {
  const { roomId, userId } = options;
  let destroyed = false;
  let loaded = false;
  let olderCursor: string | null = null;
  const initialIds = new Set<string>();
  const held: Message[] = [];
  const fail = (error: unknown) => {
    if (destroyed) return;
    options.onError?.(error instanceof SendsarError ? error
      : new SendsarError({ code: "client_error", message: String(error), cause: error }));
  };

  const subscriptions: Unsubscribe[] = [
    client.on("new-message", (message) => {
      if (message.roomId !== roomId || destroyed) return;
      if (!loaded) held.push(message);
      else options.onMessage?.(message);
    }),
    client.on("message-updated", (message) => {
      if (message.roomId === roomId && !destroyed) options.onMessageUpdated?.(message);
    }),
    client.on("typing", (event) => {
      if (event.roomId === roomId && event.userId !== userId && !destroyed) options.onTyping?.(event);
    }),
    client.on("room-read", (event) => {
      if (event.roomId === roomId && !destroyed) options.onRead?.(event);
    }),
  ];

  const ready = (async () => {
    await whenConnected(client);
    if (destroyed) return;
    const joined = client.joinRoom({ roomId });
    const page = await client.getMessages(roomId, { limit: options.limit ?? 50 });
    if (destroyed) return;
    olderCursor = page.nextCursor;
    const initial = [...page.messages].reverse();
    initial.forEach((m) => initialIds.add(m.id));
    options.onInitialMessages?.(initial);
    loaded = true;
    for (const message of held.splice(0)) {
      if (!initialIds.has(message.id)) options.onMessage?.(message);
    }
    // Typing and room presence need the join: `ready` means both history and join are done.
    await joined.catch(fail);
  })();
  ready.catch(fail);

  return {
    ready,
    async loadOlder(limit = options.limit ?? 50) {
      await ready;
      if (!olderCursor) return [];
      const page = await client.getMessages(roomId, { cursor: olderCursor, limit });
      olderCursor = page.nextCursor;
      return [...page.messages].reverse();
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      subscriptions.forEach((off) => off());
      if (client.joinedRoomId === roomId) client.leaveRoom({ roomId });
    },
  };
}

/** Resolves once the client is connected (at once if it already is); rejects if it gives up. */
export function whenConnected(client: SendsarClient): Promise<void> {
  if (client.connectionState === "connected") return Promise.resolve();
  return new Promise((resolve, reject) => {
    const off = client.on("connection-state", (change) => {
      if (change.state === "connected") {
        off();
        resolve();
      } else if (change.state === "disconnected" && change.previous !== "connected") {
        off();
        reject(new SendsarError({ code: "not_connected", message: change.reason ?? "not connected" }));
      }
    });
  });
}
