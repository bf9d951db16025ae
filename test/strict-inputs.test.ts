import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { restRouter } from "../src/rest/app.ts";
import { createApiKey } from "./helpers/api-keys.ts";
import { startTestApp, type TestApp } from "./helpers/app.ts";
import type { TestClient } from "./helpers/client.ts";
import { looseObjects } from "./helpers/strict-schema.ts";
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
    const flows = await owner.list<{ name: string }>("workflows.list");
    expect(flows.map((f) => f.name)).not.toContain("Strict flow");
  });

  it("open objects stay open: a review's payload takes any keys", async () => {
    await owner.mutate("reviews.request", { title: "Open payload", payload: { anything: 1 } });
    expect(await reviewTitles()).toContain("Open payload");
  });
});

describe("every input object refuses unknown keys, at any depth (a new one cannot forget it)", () => {
  it("each tRPC procedure's input", async () => {
    const { appRouter } = await import("../src/trpc/router.ts");
    const procedures = appRouter._def.procedures as unknown as Record<
      string,
      { _def: { inputs: unknown[] } }
    >;
    expect(procedures["reviews.request"]?._def.inputs).toHaveLength(1);
    const loose = Object.entries(procedures).flatMap(([path, p]) =>
      p._def.inputs.flatMap((input) => looseObjects(input, path)),
    );
    expect(loose).toEqual([]);
  });

  it("each REST route's body and query (every route the app serves is documented: openapi.test.ts)", () => {
    const api = restRouter(t.deps, async (_c, next) => next());
    const routes = api.openAPIRegistry.definitions.flatMap((d) =>
      d.type === "route" ? [d.route] : [],
    );
    expect(routes.map((r) => `${r.method} ${r.path}`)).toContain("post /reviews");
    const loose = routes.flatMap((r) => {
      const name = `${r.method.toUpperCase()} ${r.path}`;
      const media = r.request?.body?.content["application/json"];
      const body = media && "schema" in media ? media.schema : undefined;
      return [
        ...(body ? looseObjects(body, `${name} body`) : []),
        ...(r.request?.query ? looseObjects(r.request.query, `${name} query`) : []),
      ];
    });
    expect(loose).toEqual([]);
  });

  it("the walk finds a loose object nested inside a strict one (so the checks above can fail)", () => {
    const nested = z.strictObject({ options: z.object({ a: z.string() }).optional() });
    expect(looseObjects(nested)).toEqual(["input.options"]);
    expect(looseObjects(z.strictObject({ payload: z.record(z.string(), z.unknown()) }))).toEqual(
      [],
    );
  });
});
