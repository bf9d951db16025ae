/** Keys a limiter tracks at most; past that it forgets the least used (see `makeRoom`). */
export const DEFAULT_MAX_KEYS = 10_000;

interface Window {
  start: number;
  count: number;
}

/**
 * A fixed-window counter per key, in memory (one process). Enough for throttling abuse of
 * public endpoints on a single instance; several instances each count on their own.
 *
 * The table is bounded: when full it drops ended windows, then the windows with the fewest
 * hits. A flood of new keys (one hit each) therefore never resets a key that has used its
 * budget; forgetting such a key takes as many keys that each spent at least as much.
 */
export function fixedWindowLimiter(limit: number, windowMs: number, maxKeys = DEFAULT_MAX_KEYS) {
  const windows = new Map<string, Window>();
  const retryAfter = (window: Window, now: number) =>
    Math.ceil((window.start + windowMs - now) / 1000);

  /** Frees a tenth of the table (at least one slot), so the scan runs once per many new keys. */
  function makeRoom(now: number) {
    for (const [key, window] of windows) {
      if (now - window.start >= windowMs) windows.delete(key);
    }
    if (windows.size < maxKeys) return;
    const leastUsed = [...windows].sort(([, a], [, b]) => a.count - b.count || a.start - b.start);
    const keep = Math.floor(maxKeys * 0.9);
    for (const [key] of leastUsed.slice(0, windows.size - keep)) windows.delete(key);
  }

  return {
    /** Without counting: the seconds to wait when `key` already used up its window, else 0. */
    blocked(key: string, now = Date.now()): number {
      const window = windows.get(key);
      if (!window || now - window.start >= windowMs || window.count < limit) return 0;
      return retryAfter(window, now);
    },
    /** Counts a hit; returns the seconds to wait when over the limit, else 0. */
    hit(key: string, now = Date.now()): number {
      let window = windows.get(key);
      if (!window || now - window.start >= windowMs) {
        if (!window && windows.size >= maxKeys) makeRoom(now);
        window = { start: now, count: 0 };
        windows.set(key, window);
      }
      window.count++;
      return window.count > limit ? retryAfter(window, now) : 0;
    },
    /** Drops the count of `key`, e.g. once its owner proved who they are. */
    forget(key: string): void {
      windows.delete(key);
    },
    /** Keys currently tracked (for tests and metrics). */
    get size() {
      return windows.size;
    },
  };
}
