import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultBodyLimits as limits } from "../../src/config/body-limits.ts";
import { createApiKey } from "../helpers/api-keys.ts";
import { startTestApp, TEST_BASE_URL, type TestApp } from "../helpers/app.ts";
import type { TestClient } from "../helpers/client.ts";
import { serveOnLoopback, streamBody } from "../helpers/http.ts";
import { orgOwner } from "../helpers/users.ts";
import { restCaller } from "../rest/harness.ts";
import { workflowWith } from "../workflows/harness.ts";

/**
 * Every surface that reads a request body refuses one over its limit with 413, over real HTTP
 * on loopback: a declared Content-Length before the body is sent, a chunked body as soon as it
 * passes the limit. A body of exactly the limit is still served.
 */

const MB = 1024 * 1024;
/** Socket buffers on loopback hold a few MB the server has not read; more means it read on. */
const SLACK = 16 * MB;

let t: TestApp;
let server: Awaited<ReturnType<typeof serveOnLoopback>>;
let owner: TestClient;
let apiKey: string;
let hookPath: string;

beforeAll(async () => {
  t = await startTestApp();
  server = await serveOnLoopback(t.app);
  owner = (await orgOwner(t, "Body Limits")).client;
  apiKey = (await createApiKey(t, owner, { scopes: ["reviews:read", "reviews:write"] })).key;
  const wf = await workflowWith(owner, { nodes: [{ id: "hook", type: "webhook_trigger" }] });
  hookPath = `/hooks/${wf.id}/${wf.webhookSecret}`;
});
afterAll(async () => {
  await server?.close();
  await t?.close();
});

const json = { "content-type": "application/json" };
const cookie = () => [...owner.cookies].map(([k, v]) => `${k}=${v}`).join("; ");

interface Surface {
  name: string;
  path: () => string;
  limit: number;
  headers: () => Record<string, string>;
  /** A valid body, padded with spaces to the size under test. */
  body: string;
  /** The answer to that body when it is within the limit. */
  served: number;
  /** Checks a 413's body is the surface's own error format. */
  refusal: (body: string, limit: number) => void;
}

const appError = (body: string, limit: number) =>
  expect(JSON.parse(body)).toEqual({
    error: {
      code: "PAYLOAD_TOO_LARGE",
      message: `The request body is larger than ${limit} bytes`,
      details: { field: "body", limit },
    },
  });

const surfaces: Surface[] = [
  {
    name: "incoming webhooks",
    path: () => hookPath,
    limit: limits.hooks,
    headers: () => json,
    body: '{"items":[]}',
    served: 202,
    refusal: appError,
  },
  {
    name: "tRPC",
    path: () => "/trpc/workflows.create",
    limit: limits.trpc,
    headers: () => ({ ...json, origin: TEST_BASE_URL, cookie: cookie() }),
    body: '{"name":"padded"}',
    served: 200,
    refusal: (body, limit) =>
      expect(JSON.parse(body).error).toMatchObject({
        message: `The request body is larger than ${limit} bytes`,
        data: { code: "PAYLOAD_TOO_LARGE", httpStatus: 413, details: { field: "body", limit } },
      }),
  },
  {
    name: "REST API",
    path: () => "/api/v1/reviews",
    limit: limits.api,
    headers: () => ({ ...json, authorization: `Bearer ${apiKey}` }),
    body: '{"title":"padded"}',
    served: 201,
    refusal: appError,
  },
  {
    name: "auth",
    path: () => "/api/auth/sign-in/email",
    limit: limits.auth,
    headers: () => ({ ...json, origin: TEST_BASE_URL }),
    body: '{"email":"nobody@example.com","password":"not the password"}',
    served: 401,
    refusal: appError,
  },
  {
    name: "review pages, posted by a browser",
    path: () => "/r/no-such-token",
    limit: limits.reviewPages,
    headers: () => ({
      "content-type": "application/x-www-form-urlencoded",
      accept: "text/html,application/xhtml+xml,*/*;q=0.8",
    }),
    body: "decision=approved&comment=",
    served: 404,
    refusal: (body) => expect(body).toContain("The form is too large."),
  },
  {
    name: "review pages, posted by a script",
    path: () => "/r/no-such-token",
    limit: limits.reviewPages,
    headers: () => ({ "content-type": "application/x-www-form-urlencoded" }),
    body: "decision=approved&comment=",
    served: 404,
    refusal: appError,
  },
];

describe.each(surfaces)("$name", (s) => {
  const send = (total: number, declare: boolean) =>
    streamBody(server.port, s.path(), {
      headers: s.headers(),
      prefix: s.body,
      total,
      declare,
      giveUpAfter: Math.min(total, s.limit + SLACK),
    });

  it("refuses a 400 MB Content-Length with 413 before the body is sent", async () => {
    const answer = await send(400 * MB, true);
    expect(answer.status).toBe(413);
    s.refusal(answer.body, s.limit);
    expect(answer.sentBeforeAnswer).toBeLessThan(SLACK);
  });

  it("refuses a chunked body without a length with 413 once it passes the limit", async () => {
    const answer = await send(s.limit + 4 * SLACK, false);
    expect(answer.status).toBe(413);
    s.refusal(answer.body, s.limit);
  });

  it("serves a body of exactly the limit, declared or chunked", async () => {
    expect((await send(s.limit, true)).status).toBe(s.served);
    expect((await send(s.limit, false)).status).toBe(s.served);
  });
});

it("refuses a 60 MB review payload with 413 and creates no review", async () => {
  const answer = await streamBody(server.port, "/api/v1/reviews", {
    headers: { ...json, authorization: `Bearer ${apiKey}` },
    prefix: '{"title":"Sixty megabytes","payload":{"blob":"',
    suffix: '"}}',
    total: 60 * MB,
    declare: true,
    giveUpAfter: SLACK,
  });
  expect(answer.status).toBe(413);
  const listed = await restCaller(t, apiKey).get<{ data: { title: string }[] }>("/reviews");
  expect(listed.body.data.map((r) => r.title)).not.toContain("Sixty megabytes");
});
