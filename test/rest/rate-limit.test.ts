import { afterAll, beforeAll, expect, it } from "vitest";
import { createApiKey } from "../helpers/api-keys.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import { orgOwner } from "../helpers/users.ts";
import { type RestError, restCaller } from "./harness.ts";

const LIMIT = 3;
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ apiRatePerMinute: LIMIT });
});
afterAll(() => t.close());

it("answers 429 with Retry-After once a key spends its requests for the minute, per key", async () => {
  const { client: owner } = await orgOwner(t, "Busy Org");
  const busy = await createApiKey(t, owner, { scopes: ["reviews:read"] });
  const other = await createApiKey(t, owner, { scopes: ["reviews:read"] });
  for (let i = 0; i < LIMIT; i++) {
    // from a new address each time: the limit follows the key, not the address
    expect((await restCaller(t, busy.key).get("/reviews")).status).toBe(200);
  }
  const limited = await restCaller(t, busy.key).get<RestError>("/reviews");
  expect(limited.status).toBe(429);
  expect(limited.body.error.code).toBe("TOO_MANY_REQUESTS");
  const retryAfter = Number(limited.headers.get("retry-after"));
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect((await restCaller(t, other.key).get("/reviews")).status).toBe(200);
});
