import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createApp } from "../src/server/app.ts";
import { startTestApp, type TestApp } from "./helpers/app.ts";
import { TestClient } from "./helpers/client.ts";
import { signIn } from "./helpers/identity.ts";
import { signedInUser, uniqueEmail } from "./helpers/users.ts";

/** What a database failure might carry: SQL, a table name, a value. None of it may leak. */
const INTERNAL = 'relation "account" failed: select "password" from "account" where id = $1';
const INTERNAL_BODY = { error: { code: "INTERNAL", message: "Internal server error" } };

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());
afterEach(() => {
  vi.restoreAllMocks();
});

/** Log entries written while handling the request with this id. */
function logOf(requestId: string | null) {
  expect(requestId).toBeTruthy();
  return t.logLines
    .map((line) => JSON.parse(line) as { level: number; reqId?: string; err?: { message: string } })
    .filter((entry) => entry.reqId === requestId);
}

function expectNoInternals(text: string) {
  expect(text).not.toContain("select");
  expect(text).not.toContain("account");
  expect(text).not.toMatch(/\bat .+:\d+:\d+/); // a stack frame
  expect(text).not.toContain("stack");
}

describe("internal errors never reach the client", () => {
  it("HTTP (Better Auth): 500 with the generic body; the log has the real error", async () => {
    const email = uniqueEmail("boom");
    await signedInUser(t, email);
    vi.spyOn(t.deps.database.db, "select").mockImplementation(() => {
      throw new Error(INTERNAL);
    });
    const res = await signIn(t.client(), email);
    const text = await res.text();
    expect(res.status).toBe(500);
    expect(JSON.parse(text)).toEqual(INTERNAL_BODY);
    expectNoInternals(text);

    const errors = logOf(res.headers.get("x-request-id")).filter((e) => e.level >= 50);
    expect(errors.map((e) => e.err?.message)).toContain(INTERNAL);
  });

  it("HTTP (any route): a throwing handler answers the generic body", async () => {
    const app = createApp(t.deps);
    app.get("/api/explode", () => {
      throw new Error(INTERNAL);
    });
    const res = await new TestClient(app, "10.1.1.1", t.deps.config.baseUrl).fetch("/api/explode");
    const text = await res.text();
    expect(res.status).toBe(500);
    expect(JSON.parse(text)).toEqual(INTERNAL_BODY);
    const errors = logOf(res.headers.get("x-request-id")).filter((e) => e.level >= 50);
    expect(errors.map((e) => e.err?.message)).toContain(INTERNAL);
  });

  it("tRPC: a failing procedure answers INTERNAL with no stack, SQL or message", async () => {
    const client = await signedInUser(t);
    // every transaction fails: drizzle's, and on PostgreSQL the pooled tenant transaction
    vi.spyOn(t.deps.database.db, "transaction").mockRejectedValue(new Error(INTERNAL));
    const pool = (t.deps.database.db as unknown as { $client: unknown }).$client;
    if (pool instanceof pg.Pool) {
      // only the promise form (tenant transactions); pool.query's callback form keeps working
      const connect = pool.connect.bind(pool) as (...args: unknown[]) => unknown;
      vi.spyOn(pool, "connect").mockImplementation(((...args: unknown[]) =>
        args.length ? connect(...args) : Promise.reject(new Error(INTERNAL))) as never);
    }
    const res = await client.post("/trpc/orgs.create", { name: "Doomed" });
    const text = await res.text();
    expect(res.status).toBe(500);
    const body = JSON.parse(text) as { error: { message: string; data: Record<string, unknown> } };
    expect(body.error.message).toBe("Internal server error");
    expect(body.error.data).toEqual({ code: "INTERNAL", httpStatus: 500 });
    expectNoInternals(text);

    const errors = logOf(res.headers.get("x-request-id")).filter((e) => e.level >= 50);
    expect(errors.map((e) => e.err?.message)).toContain(INTERNAL);
  });
});

describe("expected errors", () => {
  it("a validation error names the field", async () => {
    const client = await signedInUser(t);
    const err = await client.trpcError("mutate", "orgs.create", { name: "" });
    expect(err.status).toBe(400);
    expect(err.error.data.code).toBe("BAD_REQUEST");
    expect(err.error.message).toMatch(/^name\b/);
    expect(err.error.data.details?.field).toBe("name");
    expect(JSON.stringify(err.error)).not.toContain("stack");
  });

  it("an unknown API route answers 404 JSON (page paths are the web app's)", async () => {
    const res = await t.client().fetch("/api/no/such/route");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
    expect(await res.json()).toEqual({ error: { code: "NOT_FOUND", message: "Not found" } });
  });
});
