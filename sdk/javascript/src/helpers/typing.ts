import { Timer, systemClock, type Clock } from "../clock.js";

/** What the controller needs from a client. */
export interface TypingSender {
  setTyping(roomId: string, isTyping: boolean): boolean;
}

export interface ComposerTypingOptions {
  roomId: string;
  /** Stop typing after this long without input (default 3 s). */
  idleTimeoutMs?: number;
  /** Repeat `isTyping: true` at most this often while the user keeps typing (default 2.5 s). */
  keepAliveMs?: number;
  clock?: Clock;
}

/**
 * Outgoing typing state for one composer: call `handleInput()` on each keystroke and `stop()` on send or blur.
 * Sends `true` once and then at most every `keepAliveMs`, and `false` after `idleTimeoutMs` of silence, so a fast
 * typist stays well inside the server's typing rate limit.
 */
export class ComposerTypingController {
  private roomId: string;
  private typing = false;
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private readonly idle: Timer;
  private readonly clock: Clock;
  private readonly idleTimeoutMs: number;
  private readonly keepAliveMs: number;

  constructor(private readonly client: TypingSender, options: ComposerTypingOptions) {
    this.roomId = options.roomId;
    this.clock = options.clock ?? systemClock;
    this.idle = new Timer(this.clock);
    this.idleTimeoutMs = options.idleTimeoutMs ?? 3_000;
    this.keepAliveMs = options.keepAliveMs ?? 2_500;
  }

  get isTyping(): boolean {
    return this.typing;
  }

  handleInput(): void {
    const now = this.clock.now();
    if (!this.typing || now - this.lastSentAt >= this.keepAliveMs) {
      this.typing = true;
      this.lastSentAt = now;
      this.client.setTyping(this.roomId, true);
    }
    this.idle.set(this.idleTimeoutMs, () => this.stop());
  }

  /** Alias of {@link handleInput}. */
  onInput(): void {
    this.handleInput();
  }

  stop(): void {
    this.idle.clear();
    if (!this.typing) return;
    this.typing = false;
    this.lastSentAt = Number.NEGATIVE_INFINITY;
    this.client.setTyping(this.roomId, false);
  }

  /** Moves to another room, ending typing in the previous one. */
  setRoom(roomId: string): void {
    if (roomId === this.roomId) return;
    this.stop();
    this.roomId = roomId;
  }

  destroy(): void {
    this.stop();
  }
}
