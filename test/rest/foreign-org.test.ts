import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiScopeNames } from "../../src/access/statements.ts";
import { createApiKey } from "../helpers/api-keys.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import { dbRows } from "../helpers/orgs.ts";
import { orgOwner } from "../helpers/users.ts";
import { createEndpoint } from "../webhooks/endpoints-harness.ts";

/**
 * The tenancy wall for the whole REST API: every documented operation that names an object,
 * called with a key of another organization holding every scope, answers 404 and changes
 * nothing. Operations are read from the OpenAPI document, so a new route is covered at once.
 */
let t: TestApp;
let foreignKey: string;
const ids: Record<string, string> = {};

/** Bodies that pass validation, so the answer is about the object, not the input. */
const validBodies: Record<string, unknown> = {
  "POST /reviews/{id}/approve": { comment: "not yours" },
  "POST /reviews/{id}/reject": { comment: "not yours" },
  "POST /reviews/{id}/links": {},
  "PATCH /webhooks/{id}": { description: "hijacked" },
  "POST /webhooks/{id}/rotate-secret": {},
};

beforeAll(async () => {
  t = await startTestApp();
  const a = await orgOwner(t, "Victim Org");
  const b = await orgOwner(t, "Other Org");
  const review = await a.client.mutate<{ id: string }>("reviews.request", {
    title: "Pay invoice 42",
    anyReviewer: true,
  });
  const link = await a.client.mutate<{ id: string }>("reviews.createLink", {
    reviewId: review.id,
  });
  const endpoint = await createEndpoint(a.client, { eventTypes: ["review.created"] });
  await a.client.mutate("webhooks.sendTest", { endpointId: endpoint.id });
  const [delivery] = await dbRows<{ id: string }>(
    t,
    sql`select id from webhook_delivery where endpoint_id = ${endpoint.id}`,
  );
  ids.review = review.id;
  ids.link = link.id;
  ids.endpoint = endpoint.id;
  ids.delivery = delivery?.id ?? "";
  foreignKey = (await createApiKey(t, b.client, { scopes: [...apiScopeNames] })).key;
});
afterAll(() => t.close());

async function operations(): Promise<{ method: string; path: string }[]> {
  const res = await t.client().fetch("/api/v1/openapi.json");
  const doc = (await res.json()) as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.keys(methods).map((method) => ({ method: method.toUpperCase(), path })),
  );
}

function fill(path: string): string {
  const objectId = path.startsWith("/reviews") ? ids.review : ids.endpoint;
  return path
    .replace("{id}", objectId ?? "")
    .replace("{link_id}", ids.link ?? "")
    .replace("{delivery_id}", ids.delivery ?? "");
}

describe("REST v1 across organizations", () => {
  it("every operation on another organization's object answers 404", async () => {
    const named = (await operations()).filter((op) => op.path.includes("{"));
    expect(named.length).toBeGreaterThanOrEqual(12);
    for (const { method, path } of named) {
      const body = validBodies[`${method} ${path}`];
      const res = await t.client().fetch(`/api/v1${fill(path)}`, {
        method,
        headers: { authorization: `Bearer ${foreignKey}`, "content-type": "application/json" },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      expect(res.status, `${method} ${path}`).toBe(404);
    }
  });

  it("listings show nothing of the other organization", async () => {
    for (const path of ["/reviews", "/webhooks"]) {
      const res = await t.client().fetch(`/api/v1${path}`, {
        headers: { authorization: `Bearer ${foreignKey}` },
      });
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).not.toContain(ids.review);
      expect(text).not.toContain(ids.endpoint);
    }
  });

  it("and the objects are as they were", async () => {
    const [review] = await dbRows<{ status: string }>(
      t,
      sql`select status from review_request where id = ${ids.review}`,
    );
    const [link] = await dbRows<{ revoked_at: unknown }>(
      t,
      sql`select revoked_at from review_link where id = ${ids.link}`,
    );
    const [endpoint] = await dbRows<{ description: string; previous: unknown }>(
      t,
      sql`select description, previous_secret_envelope as previous from webhook_endpoint
          where id = ${ids.endpoint}`,
    );
    const attempts = await dbRows(
      t,
      sql`select id from webhook_attempt where delivery_id = ${ids.delivery}`,
    );
    expect(review?.status).toBe("pending");
    expect(link?.revoked_at).toBeNull();
    expect(endpoint).toEqual({ description: "", previous: null });
    expect(attempts).toEqual([]);
  });
});
