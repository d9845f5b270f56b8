import type { SendsarClient } from "../client.js";
import type { Unsubscribe } from "../emitter.js";

export interface TenantPresenceTracker {
  isOnline(userId: string): boolean;
  getOnlineUserIds(): string[];
  destroy(): void;
}

export interface TenantPresenceOptions {
  onChange?: (onlineUserIds: string[]) => void;
}

/**
 * Who is online in the tenant: the snapshot sent after every `ready`, kept current by `tenant-presence` events.
 * After a reconnect the next snapshot replaces the whole set, so nothing stale survives a gap.
 */
export function createTenantPresenceTracker(client: SendsarClient, options: TenantPresenceOptions = {}): TenantPresenceTracker {
  let online = new Set<string>();
  const changed = () => options.onChange?.([...online]);
  const subscriptions: Unsubscribe[] = [
    client.on("tenant-presence-snapshot", (snapshot) => {
      online = new Set(snapshot.onlineUserIds);
      changed();
    }),
    client.on("tenant-presence", (event) => {
      const had = online.has(event.userId);
      if (event.online === had) return;
      if (event.online) online.add(event.userId);
      else online.delete(event.userId);
      changed();
    }),
    client.on("connection-state", (change) => {
      if (change.state === "disconnected" && online.size > 0) {
        online = new Set();
        changed();
      }
    }),
  ];
  return {
    isOnline: (userId) => online.has(userId),
    getOnlineUserIds: () => [...online],
    destroy: () => subscriptions.forEach((off) => off()),
  };
}
