/** Time as the SDK sees it; tests inject a fake one to drive reconnects and token refresh. */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** One named timer slot: setting it again replaces the previous timer. */
export class Timer {
  private handle: unknown = undefined;

  constructor(private readonly clock: Clock) {}

  set(ms: number, callback: () => void): void {
    this.clear();
    this.handle = this.clock.setTimeout(() => {
      this.handle = undefined;
      callback();
    }, Math.max(0, ms));
  }

  clear(): void {
    if (this.handle !== undefined) {
      this.clock.clearTimeout(this.handle);
      this.handle = undefined;
    }
  }

  get pending(): boolean {
    return this.handle !== undefined;
  }
}
