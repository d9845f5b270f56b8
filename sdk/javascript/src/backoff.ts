export interface BackoffOptions {
  /** First delay, ms (default 500). */
  minDelayMs?: number;
  /** Cap, ms (default 20 000). */
  maxDelayMs?: number;
}

/**
 * Exponential backoff with full jitter: attempt n waits a random time in [min/2, min(max, min·2ⁿ)], so clients
 * that lost the same server do not come back in lockstep.
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}, random: () => number = Math.random): number {
  const min = options.minDelayMs ?? 500;
  const max = options.maxDelayMs ?? 20_000;
  const ceiling = Math.min(max, min * 2 ** Math.min(attempt, 30));
  const floor = Math.min(min / 2, ceiling);
  return Math.round(floor + random() * (ceiling - floor));
}
