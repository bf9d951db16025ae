/**
 * When a failed delivery is tried again. Scheduled attempt n (1-based) waits
 * RETRY_DELAYS_MS[n - 1] after the previous one: immediately, 5 s, 5 min, 30 min, 2 h, 5 h,
 * 10 h, 10 h (≈ 27.6 h in all); after the last one fails, the delivery is failed.
 */
export const RETRY_DELAYS_MS = [
  0,
  5_000,
  5 * 60_000,
  30 * 60_000,
  2 * 3_600_000,
  5 * 3_600_000,
  10 * 3_600_000,
  10 * 3_600_000,
] as const;

export const MAX_SCHEDULED_ATTEMPTS = RETRY_DELAYS_MS.length;

/** ±10 %: endpoints that failed together do not all come back at the same second. */
const JITTER = 0.1;

/** A receiver's Retry-After is honoured up to the longest gap of the schedule. */
export const MAX_RETRY_AFTER_MS = 10 * 3_600_000;
const MIN_RETRY_AFTER_MS = 1_000;

/** Delay before the scheduled attempt after `attempt` (1-based), or null when none is left. */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number | null {
  if (attempt >= MAX_SCHEDULED_ATTEMPTS) return null;
  const base = RETRY_DELAYS_MS[attempt] as number;
  return Math.round(base * (1 + (random() * 2 - 1) * JITTER));
}

/**
 * `Retry-After` as milliseconds from `now`: delta-seconds or an HTTP date; null when absent
 * or unreadable. Clamped to [1 s, MAX_RETRY_AFTER_MS].
 */
export function retryAfterMs(value: string | null | undefined, now: Date): number | null {
  if (!value) return null;
  const text = value.trim();
  let ms: number;
  if (/^\d+$/.test(text)) ms = Number(text) * 1000;
  else {
    const at = Date.parse(text);
    if (Number.isNaN(at)) return null;
    ms = at - now.getTime();
  }
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(MIN_RETRY_AFTER_MS, ms));
}
