/**
 * A fixed-window counter per key, in memory (one process). Enough for throttling abuse of
 * public endpoints on a single instance; several instances each count on their own.
 */
export function fixedWindowLimiter(limit: number, windowMs: number) {
  const windows = new Map<string, { start: number; count: number }>();
  const retryAfter = (window: { start: number }, now: number) =>
    Math.ceil((window.start + windowMs - now) / 1000);
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
        if (windows.size > 10_000) windows.clear(); // bound memory under a flood of keys
        window = { start: now, count: 0 };
        windows.set(key, window);
      }
      window.count++;
      return window.count > limit ? retryAfter(window, now) : 0;
    },
  };
}
