import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRPC_MAX_BATCH_SIZE } from "../src/trpc/handler.ts";
import { startTestApp, type TestApp } from "./helpers/app.ts";
import type { TestClient } from "./helpers/client.ts";
import { signedInUser } from "./helpers/users.ts";

const PER_USER = 30;

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ trpcRatePerMinute: PER_USER });
});
afterAll(() => t.close());

interface ErrorBody {
  error: { message: string; data: { code: string; httpStatus: number } };
}

/** One GET carrying `size` calls of `me`. */
const batchOf = (client: TestClient, size: number) =>
  client.fetch(`/trpc/${Array(size).fill("me").join(",")}?batch=1`);

describe("tRPC batches", () => {
  it("a batch over the limit is refused with 400 before any call runs", async () => {
    const client = await signedInUser(t);
    const res = await batchOf(client, TRPC_MAX_BATCH_SIZE + 1);
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorBody;
    expect(body.error.data.code).toBe("BAD_REQUEST");
    expect(body.error.message).toMatch(/batch/i);
  });

  it("a batch at the limit runs every call", async () => {
    const client = await signedInUser(t);
    const res = await batchOf(client, TRPC_MAX_BATCH_SIZE);
    expect(res.status).toBe(200);
    expect((await res.json()) as unknown[]).toHaveLength(TRPC_MAX_BATCH_SIZE);
  });
});

describe("per-user call budget", () => {
  it("answers 429 with Retry-After once a user spent the minute's budget; a batch counts each call", async () => {
    const client = await signedInUser(t);
    expect((await batchOf(client, 20)).status).toBe(200);
    for (let i = 20; i < PER_USER; i++) await client.query("me");

    const refused = await client.fetch("/trpc/me");
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    const body = (await refused.json()) as ErrorBody;
    expect(body.error.data).toMatchObject({ code: "TOO_MANY_REQUESTS", httpStatus: 429 });
    expect(body.error.message).toMatch(/retry in \d+ seconds/);
  });

  it("does not count one user's calls against another", async () => {
    const busy = await signedInUser(t);
    for (let i = 0; i <= PER_USER; i++) await busy.fetch("/trpc/me");
    const other = await signedInUser(t);
    expect(await other.query("me")).toMatchObject({ emailVerified: true });
  });
});
