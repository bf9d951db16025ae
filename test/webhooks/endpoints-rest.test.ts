import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KeyContext } from "../../src/access/context.ts";
import { revealSecret } from "../../src/modules/webhooks/service.ts";
import { createApiKey } from "../helpers/api-keys.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import type { TestClient } from "../helpers/client.ts";
import { auditEvents } from "../helpers/orgs.ts";
import { orgOwner } from "../helpers/users.ts";
import { deliveriesOf, tablesContaining } from "./endpoints-harness.ts";

let t: TestApp;
let owner: TestClient;
let orgId: string;
let api: TestClient;
let readKey: string;
let writeKey: string;
let reviewsKey: string;
let strangerKey: string;

beforeAll(async () => {
  t = await startTestApp();
  ({ client: owner, orgId } = await orgOwner(t, "Rest Hooks"));
  readKey = (await createApiKey(t, owner, { scopes: ["webhooks:read"] })).key;
  writeKey = (await createApiKey(t, owner, { scopes: ["webhooks:write"] })).key;
  reviewsKey = (await createApiKey(t, owner, { scopes: ["reviews:write"] })).key;
  const stranger = (await orgOwner(t, "Elsewhere")).client;
  strangerKey = (await createApiKey(t, stranger, { scopes: ["webhooks:write"] })).key;
  api = t.client();
  api.origin = null;
});
afterAll(() => t.close());

async function call(key: string, method: string, path: string, body?: unknown) {
  const res = await api.fetch(`/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${key}` },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, text };
}

const newEndpoint = async (eventTypes = ["review.created"]) => {
  const created = await call(writeKey, "POST", "/webhooks", {
    url: "https://hooks.example.com/in",
    description: "from CI",
    event_types: eventTypes,
  });
  expect(created.status).toBe(201);
  return created.body as { id: string; secret: string; event_types: string[] };
};

describe("REST v1 webhook endpoints", () => {
  it("a webhooks:write key manages an endpoint; the secret appears only in the create and rotate answers", async () => {
    const created = await newEndpoint(["review.approved", "review.created"]);
    expect(created.secret).toMatch(/^whsec_/);
    expect(created.event_types).toEqual(["review.approved", "review.created"]);

    const got = await call(readKey, "GET", `/webhooks/${created.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ id: created.id, enabled: true, disabled_reason: null });
    const listed = await call(readKey, "GET", "/webhooks");
    expect(listed.body.data.map((e: { id: string }) => e.id)).toContain(created.id);
    for (const answer of [got, listed]) expect(answer.text).not.toContain(created.secret);

    const patched = await call(writeKey, "PATCH", `/webhooks/${created.id}`, {
      description: "renamed",
      enabled: false,
    });
    expect(patched.body).toMatchObject({ description: "renamed", enabled: false });

    const rotated = await call(writeKey, "POST", `/webhooks/${created.id}/rotate-secret`, {
      grace_seconds: 600,
    });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.previous_secret_expires_at).not.toBeNull();
    expect(await tablesContaining(t, rotated.body.secret)).toEqual([]);

    const audit = (await auditEvents(owner)).filter((e) => e.targetId === created.id);
    expect(audit.map((e) => e.action).sort()).toEqual([
      "webhook.created",
      "webhook.secret_rotated",
      "webhook.updated",
    ]);
    expect(audit.every((e) => e.actorKind === "apiKey")).toBe(true);

    expect((await call(writeKey, "DELETE", `/webhooks/${created.id}`)).status).toBe(204);
    expect((await call(readKey, "GET", `/webhooks/${created.id}`)).status).toBe(404);
  });

  it("sends a test event to one endpoint", async () => {
    const created = await newEndpoint();
    const sent = await call(writeKey, "POST", `/webhooks/${created.id}/test`);
    expect(sent.status).toBe(202);
    const [delivery] = await deliveriesOf(t, created.id);
    expect(delivery).toMatchObject({ id: sent.body.delivery_id, event_type: "webhook.test" });
  });

  it("refuses keys without the scope, naming the one missing", async () => {
    const created = await newEndpoint();
    const refusals = [
      [readKey, "POST", "/webhooks", { url: "https://a.example/", event_types: ["webhook.test"] }],
      [readKey, "PATCH", `/webhooks/${created.id}`, { description: "x" }],
      [readKey, "DELETE", `/webhooks/${created.id}`],
      [readKey, "POST", `/webhooks/${created.id}/rotate-secret`, {}],
      [readKey, "POST", `/webhooks/${created.id}/test`],
      [reviewsKey, "GET", "/webhooks"],
      [reviewsKey, "GET", `/webhooks/${created.id}`],
    ] as const;
    for (const [key, method, path, body] of refusals) {
      const refused = await call(key, method, path, body);
      expect(refused.status, `${method} ${path}`).toBe(403);
      const scope = key === readKey ? "webhooks:write" : "webhooks:read";
      expect(refused.body.error.details.missing_scope, `${method} ${path}`).toBe(scope);
    }
  });

  it("answers 404 for another organization's endpoint", async () => {
    const created = await newEndpoint();
    for (const [method, path, body] of [
      ["GET", `/webhooks/${created.id}`],
      ["PATCH", `/webhooks/${created.id}`, { description: "mine" }],
      ["DELETE", `/webhooks/${created.id}`],
      ["POST", `/webhooks/${created.id}/rotate-secret`, {}],
      ["POST", `/webhooks/${created.id}/test`],
    ] as const) {
      expect((await call(strangerKey, method, path, body)).status, `${method} ${path}`).toBe(404);
    }
    const theirs = await call(strangerKey, "GET", "/webhooks");
    expect(theirs.body.data).toEqual([]);
    expect(await deliveriesOf(t, created.id)).toEqual([]);
  });

  it("names the field of bad input: event_types, url, grace_seconds", async () => {
    const unknown = await call(writeKey, "POST", "/webhooks", {
      url: "https://hooks.example.com/in",
      event_types: ["review.created", "review.exploded"],
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details.field).toMatch(/^event_types/);
    const plain = await call(writeKey, "POST", "/webhooks", {
      url: "http://hooks.example.com/in",
      event_types: ["review.created"],
    });
    expect(plain.status).toBe(400);
    expect(plain.body.error.details.field).toBe("url");
    const created = await newEndpoint();
    const long = await call(writeKey, "POST", `/webhooks/${created.id}/rotate-secret`, {
      grace_seconds: 8 * 24 * 3600,
    });
    expect(long.status).toBe(400);
    expect(long.body.error.details.field).toBe("grace_seconds");
  });

  it("no API key may reveal a secret, even with webhooks:write", async () => {
    const created = await newEndpoint();
    const key: KeyContext = {
      db: t.deps.database.db,
      meta: { requestId: "test", ip: undefined, userAgent: undefined },
      orgId,
      actor: { kind: "apiKey", keyId: "k", label: "k", scopes: ["webhooks:write"] },
    };
    // refused before any transaction opens (the service authorizes first)
    expect(() => revealSecret(t.deps, key, { endpointId: created.id })).toThrow(
      "No API key may webhook:reveal_secret; a member of the organization must",
    );
    expect((await auditEvents(owner)).some((e) => e.action === "webhook.secret_revealed")).toBe(
      false,
    );
  });

  it("describes the routes and every event payload in the OpenAPI document", async () => {
    const doc = (await api.fetch("/api/v1/openapi.json").then((r) => r.json())) as {
      paths: Record<string, Record<string, unknown>>;
      webhooks: Record<string, { post: unknown }>;
    };
    expect(Object.keys(doc.paths["/webhooks"] ?? {}).sort()).toEqual(["get", "post"]);
    expect(Object.keys(doc.paths["/webhooks/{id}"] ?? {}).sort()).toEqual([
      "delete",
      "get",
      "patch",
    ]);
    expect(doc.paths["/webhooks/{id}/rotate-secret"]?.post).toBeDefined();
    expect(doc.paths["/webhooks/{id}/test"]?.post).toBeDefined();
    expect(Object.keys(doc.webhooks).sort()).toEqual([
      "review.approved",
      "review.created",
      "review.expired",
      "review.link_used",
      "review.rejected",
      "webhook.test",
    ]);
  });
});
