import type { Message } from "./types.js";

/** Message ids remembered per room for dedupe; seq covers anything older. */
const SEEN_PER_ROOM = 500;
/** A gap fill reads at most this many pages of 100 before giving up on the rest. */
const MAX_FILL_PAGES = 20;

export interface StreamHooks {
  /** One page of messages with seq > afterSeq, oldest first. */
  fetchAfter(roomId: string, afterSeq: number): Promise<{ messages: Message[]; nextCursor: string | null }>;
  deliver(message: Message): void;
  failed(error: unknown, roomId: string): void;
}

interface RoomStream {
  /** Highest seq delivered or known from history. */
  lastSeq: number | undefined;
  /** Below or at this seq the app has the messages from history: never delivered as new. */
  baseline: number;
  seen: Set<string>;
  queue: Promise<void>;
}

/**
 * Delivers `new-message` once and in seq order per room: drops repeats by id, fills a seq gap from REST before
 * delivering what came after it, and after a reconnect fetches everything missed in every room it knows.
 */
export class MessageStream {
  private readonly rooms = new Map<string, RoomStream>();

  constructor(private readonly hooks: StreamHooks) {}

  /** History the app loaded (newest seq of a page, or a room's lastSeq): a starting point for gap detection. */
  observe(roomId: string, seq: number): void {
    const room = this.room(roomId);
    if (room.lastSeq === undefined) {
      room.lastSeq = seq;
      room.baseline = seq;
    }
  }

  /** A `new-message` frame. */
  receive(message: Message): Promise<void> {
    return this.enqueue(message.roomId, async (room) => {
      if (room.seen.has(message.id)) return;
      if (room.lastSeq !== undefined && message.seq > room.lastSeq + 1) {
        await this.fill(message.roomId, room, message.seq);
      }
      this.deliver(room, message);
    });
  }

  /** After a reconnect: fetch what every known room missed while the socket was down. */
  catchUp(): Promise<void> {
    const work: Promise<void>[] = [];
    for (const [roomId, room] of this.rooms) {
      if (room.lastSeq === undefined) continue;
      work.push(this.enqueue(roomId, (r) => this.fill(roomId, r, Number.POSITIVE_INFINITY)));
    }
    return Promise.all(work).then(() => undefined);
  }

  /** The seq the stream has reached in a room (undefined when it knows nothing of it). */
  lastSeq(roomId: string): number | undefined {
    return this.rooms.get(roomId)?.lastSeq;
  }

  reset(): void {
    this.rooms.clear();
  }

  private async fill(roomId: string, room: RoomStream, beforeSeq: number): Promise<void> {
    let from = room.lastSeq ?? 0;
    for (let page = 0; page < MAX_FILL_PAGES; page++) {
      if (from + 1 >= beforeSeq) return;
      let result: { messages: Message[]; nextCursor: string | null };
      try {
        result = await this.hooks.fetchAfter(roomId, from);
      } catch (error) {
        this.hooks.failed(error, roomId);
        return;
      }
      const batch = [...result.messages].sort((a, b) => a.seq - b.seq);
      for (const message of batch) {
        if (message.seq >= beforeSeq) return;
        if (!room.seen.has(message.id)) this.deliver(room, message);
      }
      const last = batch[batch.length - 1];
      if (!result.nextCursor || last === undefined) return;
      from = last.seq;
    }
  }

  private deliver(room: RoomStream, message: Message): void {
    if (message.seq <= room.baseline) return;
    room.seen.add(message.id);
    if (room.seen.size > SEEN_PER_ROOM) {
      const oldest = room.seen.values().next().value;
      if (oldest !== undefined) room.seen.delete(oldest);
    }
    if (room.lastSeq === undefined || message.seq > room.lastSeq) room.lastSeq = message.seq;
    this.hooks.deliver(message);
  }

  private enqueue(roomId: string, task: (room: RoomStream) => Promise<void>): Promise<void> {
    const room = this.room(roomId);
    const next = room.queue.then(() => task(room)).catch((error: unknown) => this.hooks.failed(error, roomId));
    room.queue = next;
    return next;
  }

  private room(roomId: string): RoomStream {
    let room = this.rooms.get(roomId);
    if (!room) {
      room = { lastSeq: undefined, baseline: 0, seen: new Set(), queue: Promise.resolve() };
      this.rooms.set(roomId, room);
    }
    return room;
  }
}
