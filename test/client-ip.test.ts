import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "./helpers/app.ts";
import type { TestClient } from "./helpers/client.ts";
import { findUser, securityEventsOf } from "./helpers/identity.ts";
import { PASSWORD, signedInUser, uniqueEmail } from "./helpers/users.ts";

/** Sign-in limit per client address and minute (src/auth/auth.ts). */
const SIGN_IN_LIMIT = 5;

/** Signs `email` in from `client`, claiming `forwardedFor`; returns the recorded sign-in IP. */
async function recordedSignInIp(
  t: TestApp,
  client: TestClient,
  email: string,
  forwardedFor?: string,
) {
  const headers: Record<string, string> = forwardedFor ? { "x-forwarded-for": forwardedFor } : {};
  const res = await client.post("/api/auth/sign-in/email", { email, password: PASSWORD }, headers);
  expect(res.status).toBe(200);
  const { id } = await findUser(t, email);
  const events = await securityEventsOf(t, id);
  const newest = events
    .filter((e) => e.action === "user.signed_in")
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0];
  return newest?.ip;
}

/** Fails sign-in `count` times from `client`, each with a different spoofed address. */
async function failedSignIns(client: TestClient, count: number, spoof: (i: number) => string) {
  const statuses: number[] = [];
  for (let i = 0; i < count; i++) {
    const res = await client.post(
      "/api/auth/sign-in/email",
      { email: "nobody@example.com", password: "wrong password 123" },
      { "x-forwarded-for": spoof(i), "x-real-ip": spoof(i), forwarded: `for=${spoof(i)}` },
    );
    statuses.push(res.status);
  }
  return statuses;
}

describe("without trusted proxies", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ trustedProxies: [] });
  });
  afterAll(() => t?.close());

  it("records the TCP peer, not a spoofed X-Forwarded-For", async () => {
    const email = uniqueEmail("spoof");
    await signedInUser(t, email);
    const ip = await recordedSignInIp(t, t.client("10.40.0.1"), email, "203.0.113.66");
    expect(ip).toBe("10.40.0.1");
  });

  it("rate-limits sign-in by the peer even when every attempt claims another address", async () => {
    const peer = t.client("10.40.0.2");
    const statuses = await failedSignIns(peer, SIGN_IN_LIMIT + 1, (i) => `198.51.100.${i + 1}`);
    expect(statuses.slice(0, SIGN_IN_LIMIT).every((s) => s === 401)).toBe(true);
    expect(statuses[SIGN_IN_LIMIT]).toBe(429);
    // Another peer is unaffected: the limit is per client address, not global.
    expect(await failedSignIns(t.client("10.40.0.3"), 1, () => "198.51.100.1")).toEqual([401]);
  });

  it("normalises an IPv4-mapped IPv6 peer", async () => {
    const email = uniqueEmail("mapped");
    await signedInUser(t, email);
    expect(await recordedSignInIp(t, t.client("::ffff:10.40.0.4"), email)).toBe("10.40.0.4");
  });
});

describe("behind a trusted proxy", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ trustedProxies: ["10.50.0.0/16", "192.168.7.1"] });
  });
  afterAll(() => t?.close());

  it("honours the forwarded address, walking right to left past trusted hops", async () => {
    const email = uniqueEmail("proxied");
    await signedInUser(t, email);
    const proxy = t.client("10.50.0.1");
    expect(await recordedSignInIp(t, proxy, email, "198.51.100.20")).toBe("198.51.100.20");
    // The client wrote 6.6.6.6 itself; the edge proxy appended the real peer, then an inner hop.
    expect(await recordedSignInIp(t, proxy, email, "6.6.6.6, 198.51.100.21, 192.168.7.1")).toBe(
      "198.51.100.21",
    );
  });

  it("recognises the proxy by its IPv4-mapped address too", async () => {
    const email = uniqueEmail("mapped-proxy");
    await signedInUser(t, email);
    const proxy = t.client("::ffff:10.50.0.2");
    expect(await recordedSignInIp(t, proxy, email, "::ffff:198.51.100.22")).toBe("198.51.100.22");
  });

  it("still records the peer when it is not one of the trusted proxies", async () => {
    const email = uniqueEmail("not-proxy");
    await signedInUser(t, email);
    expect(await recordedSignInIp(t, t.client("10.60.0.1"), email, "198.51.100.23")).toBe(
      "10.60.0.1",
    );
  });

  it("rate-limits each forwarded client separately", async () => {
    const proxy = t.client("10.50.0.3");
    const limited = await failedSignIns(proxy, SIGN_IN_LIMIT + 1, () => "198.51.100.30");
    expect(limited[SIGN_IN_LIMIT]).toBe(429);
    expect(await failedSignIns(proxy, 1, () => "198.51.100.31")).toEqual([401]);
  });
});
