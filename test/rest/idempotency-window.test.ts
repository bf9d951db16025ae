import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { pruneIdempotencyKeys } from "../../src/modules/api-keys/idempotency.ts";
import { createApiKey } from "../helpers/api-keys.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import { dbRows } from "../helpers/orgs.ts";
import { orgOwner } from "../helpers/users.ts";
import { type RestCaller, restCaller } from "./harness.ts";

let t: TestApp;
let api: RestCaller;

beforeAll(async () => {
  t = await startTestApp();
  const owner = (await orgOwner(t, "Window Org")).client;
  api = restCaller(t, (await createApiKey(t, owner, { scopes: ["reviews:write"] })).key);
});
afterAll(() => t.close());

const create = (key: string) =>
  api.post<{ id: string }>("/reviews", { title: "Ship it?" }, { "idempotency-key": key });

const age = (key: string, hours: number) =>
  dbRows(
    t,
    sql`update api_idempotency set created_at = now() - make_interval(hours => ${hours})
        where idempotency_key = ${key}`,
  );

it("an Idempotency-Key holds for 24 hours; after that the same key creates anew", async () => {
  const first = await create("deploy-1");
  await age("deploy-1", 23);
  expect((await create("deploy-1")).body.id).toBe(first.body.id);
  await age("deploy-1", 25);
  const later = await create("deploy-1");
  expect(later.status).toBe(201);
  expect(later.headers.get("idempotent-replayed")).toBeNull();
  expect(later.body.id).not.toBe(first.body.id);
  expect((await create("deploy-1")).body.id).toBe(later.body.id);
});

it("the hourly maintenance forgets only keys past the window", async () => {
  await create("old");
  await create("fresh");
  await age("old", 25);
  expect(await pruneIdempotencyKeys(t.deps.database.db)).toBeGreaterThanOrEqual(1);
  const left = await dbRows<{ idempotency_key: string }>(
    t,
    sql`select idempotency_key from api_idempotency order by idempotency_key`,
  );
  expect(left.map((r) => r.idempotency_key)).toEqual(["deploy-1", "fresh"]);
});
