import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "./helpers/api-keys.ts";
import { startTestApp, type TestApp } from "./helpers/app.ts";
import type { TestClient } from "./helpers/client.ts";
import { orgOwner } from "./helpers/users.ts";
import { type RestCaller, type RestError, restCaller } from "./rest/harness.ts";

let t: TestApp;
let owner: TestClient;
let api: RestCaller;

beforeAll(async () => {
  t = await startTestApp();
  owner = (await orgOwner(t, "Strict Org")).client;
  const key = await createApiKey(t, owner, { scopes: ["reviews:read", "reviews:write"] });
  api = restCaller(t, key.key);
});
afterAll(() => t.close());

const reviewTitles = async () =>
  (await owner.query<{ items: { title: string }[] }>("reviews.list")).items.map((r) => r.title);

describe("an unknown input field is refused with a 400 naming it, and nothing is written", () => {
  it("tRPC reviews.request with a misspelt option", async () => {
    const error = await owner.trpcError("mutate", "reviews.request", {
      title: "Typo in tRPC",
      expiresInHours: 1,
    });
    expect(error.status).toBe(400);
    expect(error.error.data.code).toBe("BAD_REQUEST");
    expect(error.error.message).toBe("expiresInHours: unknown field");
    expect(error.error.data.details?.field).toBe("expiresInHours");
    expect(await reviewTitles()).not.toContain("Typo in tRPC");
  });

  it("REST POST /reviews with a misspelt option", async () => {
    const res = await api.post<RestError>("/reviews", {
      title: "Typo in REST",
      expires_in_hours: 1,
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe("expires_in_hours: unknown field");
    expect(res.body.error.details?.field).toBe("expires_in_hours");
    expect(await reviewTitles()).not.toContain("Typo in REST");
  });

  it("REST GET /reviews with an unknown query parameter", async () => {
    const res = await api.get<RestError>("/reviews?state=pending");
    expect(res.status).toBe(400);
    expect(res.body.error.details?.field).toBe("state");
  });

  it("tRPC workflows.create with an extra field", async () => {
    const error = await owner.trpcError("mutate", "workflows.create", {
      name: "Strict flow",
      enabled: true,
    });
    expect(error.status).toBe(400);
    expect(error.error.message).toBe("enabled: unknown field");
    expect(error.error.data.details?.field).toBe("enabled");
    const flows = await owner.query<{ name: string }[]>("workflows.list");
    expect(flows.map((f) => f.name)).not.toContain("Strict flow");
  });

  it("open objects stay open: a review's payload takes any keys", async () => {
    await owner.mutate("reviews.request", { title: "Open payload", payload: { anything: 1 } });
    expect(await reviewTitles()).toContain("Open payload");
  });
});

describe("every tRPC procedure's input refuses unknown keys", () => {
  it("each object input is strict (a new procedure cannot forget it)", async () => {
    const { appRouter } = await import("../src/trpc/router.ts");
    const procedures = appRouter._def.procedures as unknown as Record<
      string,
      { _def: { inputs: unknown[] } }
    >;
    expect(procedures["reviews.request"]?._def.inputs).toHaveLength(1);
    const loose = Object.entries(procedures)
      .filter(([, p]) => p._def.inputs.some((input) => !isStrict(input)))
      .map(([path]) => path);
    expect(loose).toEqual([]);
  });
});

interface Def {
  type: string;
  innerType?: { _zod: { def: Def } };
  catchall?: { _zod: { def: Def } };
}

/** An object schema (under defaults and refinements) whose unknown keys are an error. */
function isStrict(schema: unknown): boolean {
  let def = (schema as { _zod: { def: Def } })._zod.def;
  while (def.innerType) def = def.innerType._zod.def;
  return def.type !== "object" || def.catchall?._zod.def.type === "never";
}
