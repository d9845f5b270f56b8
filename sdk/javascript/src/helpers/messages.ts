import type { Message } from "../types.js";

/** What a message list may hold: server messages and optimistic ones not yet acknowledged (no seq yet). */
export interface ListedMessage {
  id: string;
  seq?: number;
  createdAt?: string;
  clientMessageId?: string | null;
}

function compare(a: ListedMessage, b: ListedMessage): number {
  const aSeq = a.seq ?? Number.POSITIVE_INFINITY;
  const bSeq = b.seq ?? Number.POSITIVE_INFINITY;
  if (aSeq !== bSeq) return aSeq - bSeq;
  return (a.createdAt ?? "").localeCompare(b.createdAt ?? "");
}

/**
 * Merges messages into a list by id (an incoming copy replaces the old one: edits, reactions, deletes) and returns a
 * new list in chronological order; optimistic messages without a seq stay at the end.
 */
export function mergeMessagesById<T extends ListedMessage>(current: readonly T[], incoming: T | readonly T[]): T[] {
  const byId = new Map<string, T>();
  for (const message of current) byId.set(message.id, message);
  for (const message of Array.isArray(incoming) ? incoming : [incoming as T]) byId.set(message.id, message);
  return [...byId.values()].sort(compare);
}

/**
 * Replaces the optimistic copy of a message this user sent (matched by clientMessageId) with the server's message,
 * whether the REST answer or the realtime event arrives first, and never shows it twice.
 */
export function reconcileSelfSentMessage<T extends ListedMessage>(current: readonly T[], sent: Message | T): T[] {
  const server = sent as T;
  const withoutCopies = current.filter((m) =>
    m.id !== server.id && !(server.clientMessageId && m.clientMessageId === server.clientMessageId));
  return mergeMessagesById(withoutCopies, server);
}
