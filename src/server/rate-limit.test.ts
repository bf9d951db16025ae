import { expect, it } from "vitest";
import { DEFAULT_MAX_KEYS, fixedWindowLimiter } from "./rate-limit.ts";

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

it("a flood of new keys does not reset a key that used up its budget, and memory stays bounded", () => {
  const limiter = fixedWindowLimiter(3, 60_000);
  for (let i = 0; i < 4; i++) limiter.hit("victim", 0);
  expect(limiter.blocked("victim", 1000)).toBe(59);

  for (let i = 0; i < DEFAULT_MAX_KEYS * 3; i++) limiter.hit(`sprayed-${i}`, 1000);

  expect(limiter.blocked("victim", 2000)).toBe(58);
  expect(limiter.size).toBeLessThanOrEqual(DEFAULT_MAX_KEYS);
});

it("a key halfway through its budget survives the flood too", () => {
  const limiter = fixedWindowLimiter(3, 60_000, 100);
  limiter.hit("partly-used", 0);
  limiter.hit("partly-used", 0);
  for (let i = 0; i < 1000; i++) limiter.hit(`sprayed-${i}`, 0);
  limiter.hit("partly-used", 0);
  expect(limiter.hit("partly-used", 0)).toBe(60);
});

it("when full, ended windows are dropped before any live one", () => {
  const limiter = fixedWindowLimiter(1, 60_000, 10);
  for (let i = 0; i < 9; i++) limiter.hit(`old-${i}`, 0);
  limiter.hit("live", 30_000);
  limiter.hit("live", 30_000);
  limiter.hit("new", 61_000); // the table is full: the nine ended windows make room
  expect(limiter.size).toBe(2);
  expect(limiter.blocked("live", 61_000)).toBe(29);
});
