import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_JSON_DEPTH } from "../../src/lib/json-depth.ts";
import { createApiKey } from "../helpers/api-keys.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import type { TestClient } from "../helpers/client.ts";
import { orgOwner } from "../helpers/users.ts";
import { restCaller } from "../rest/harness.ts";
import { workflowWith } from "../workflows/harness.ts";

/**
 * A JSON body nested thousands of levels deep parses, then overflows the stack of whatever
 * walks it (storing it as jsonb did: a 500). Every surface refuses it up front with a 400
 * naming the body.
 */

let t: TestApp;
let owner: TestClient;
let apiKey: string;
let hookPath: string;

beforeAll(async () => {
  t = await startTestApp();
  owner = (await orgOwner(t, "Deep JSON")).client;
  apiKey = (await createApiKey(t, owner, { scopes: ["reviews:read", "reviews:write"] })).key;
  const wf = await workflowWith(owner, { nodes: [{ id: "hook", type: "webhook_trigger" }] });
  hookPath = `/hooks/${wf.id}/${wf.webhookSecret}`;
});
afterAll(() => t.close());

/** `levels` objects inside one another, each one level deeper: {"a":{"a":…1…}}. */
const nested = (levels: number) => `${'{"a":'.repeat(levels)}1${"}".repeat(levels)}`;
const DEEP = 5000;
const message = `The request body is nested more than ${MAX_JSON_DEPTH} levels deep`;

const refusedAsDeep = { code: "BAD_REQUEST", message, details: { field: "body" } };

describe("a body nested 5,000 levels deep is a 400 naming the body, not a 500", () => {
  it("REST API: a review payload", async () => {
    const api = restCaller(t, apiKey);
    const res = await api.post("/reviews", `{"title":"deep","payload":{"p":${nested(DEEP)}}}`);
    expect(res).toMatchObject({ status: 400, body: { error: refusedAsDeep } });
  });

  it("tRPC: a review payload", async () => {
    const res = await owner.fetch("/trpc/reviews.request", {
      method: "POST",
      body: `{"title":"deep","payload":{"p":${nested(DEEP)}}}`,
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: unknown }).error).toMatchObject({
      message,
      data: { code: "BAD_REQUEST", httpStatus: 400, details: { field: "body" } },
    });
  });

  it("incoming webhooks: the trigger payload", async () => {
    const sender = t.client();
    sender.origin = null;
    const res = await sender.fetch(hookPath, { method: "POST", body: nested(DEEP) });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: refusedAsDeep });
  });

  it("auth: a sign-up", async () => {
    const res = await t.client().fetch("/api/auth/sign-up/email", {
      method: "POST",
      body: `{"email":"deep@example.com","password":"correct horse","name":${nested(DEEP)}}`,
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: refusedAsDeep });
  });

  it("nothing was stored and nothing failed inside", async () => {
    const listed = await restCaller(t, apiKey).get<{ data: { title: string }[] }>("/reviews");
    expect(listed.body.data.map((r) => r.title)).not.toContain("deep");
    expect(t.logLines.filter((line) => line.includes('"level":50'))).toEqual([]);
  });
});

it(`a payload nested ${MAX_JSON_DEPTH} levels deep is still accepted`, async () => {
  const api = restCaller(t, apiKey);
  // the body's own object and "payload" are two of the levels
  const payload = `{"p":${nested(MAX_JSON_DEPTH - 2)}}`;
  const res = await api.post("/reviews", `{"title":"deep enough","payload":${payload}}`);
  expect(res.status).toBe(201);
  const review = await api.get<{ payload: unknown }>(`/reviews/${(res.body as { id: string }).id}`);
  expect(review.body.payload).toEqual(JSON.parse(payload));
});
