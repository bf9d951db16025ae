import { expect, it } from "vitest";
import { fixedWindowLimiter } from "./rate-limit.ts";

it("counts hits per key within a window, and blocked() does not count", () => {
  const limiter = fixedWindowLimiter(2, 60_000);
  expect(limiter.hit("a", 0)).toBe(0);
  expect(limiter.blocked("a", 0)).toBe(0);
  expect(limiter.hit("a", 0)).toBe(0);
  expect(limiter.blocked("a", 1000)).toBe(59);
  expect(limiter.hit("a", 1000)).toBe(59);
  expect(limiter.hit("b", 1000)).toBe(0);
  expect(limiter.hit("a", 60_000)).toBe(0); // a new window
});
