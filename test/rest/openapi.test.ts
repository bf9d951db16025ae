import { compileErrors, validate } from "@readme/openapi-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiScopeNames } from "../../src/access/statements.ts";
import { createApiKey } from "../helpers/api-keys.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import { orgOwner } from "../helpers/users.ts";
import { type RestCaller, restCaller } from "./harness.ts";

const PREFIX = "/api/v1";
const METHODS = ["get", "put", "post", "delete", "patch", "head", "options", "trace"] as const;

/** The parts of an OpenAPI document these checks read. */
interface Operation {
  responses?: Record<string, unknown>;
  security?: unknown;
}
interface OpenApiDocument {
  openapi: string;
  paths?: Record<string, Record<string, Operation | undefined>>;
  components?: { securitySchemes?: Record<string, unknown> };
  security?: unknown;
}
type Validated = Parameters<typeof validate>[0];

let t: TestApp;
let document: OpenApiDocument;
let caller: RestCaller;
let key: string;

beforeAll(async () => {
  t = await startTestApp();
  const owner = (await orgOwner(t, "OpenAPI Org")).client;
  ({ key } = await createApiKey(t, owner, { scopes: apiScopeNames }));
  caller = restCaller(t, key);
  // Public: the reference page loads it before anyone has entered a key.
  const res = await t.client().fetch(`${PREFIX}/openapi.json`);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  document = (await res.json()) as OpenApiDocument;
});
afterAll(() => t.close());

/** "METHOD /path" for every operation of the document, in Hono's `:param` syntax. */
function documentedOperations(doc: OpenApiDocument) {
  return Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
    METHODS.filter((method) => item?.[method]).map((method) => ({
      method: method.toUpperCase(),
      path,
      route: `${PREFIX}${path.replace(/\{(\w+)\}/g, ":$1")}`,
      operation: item?.[method] as Operation,
    })),
  );
}

/** Handlers the app registers under /api/v1 (middleware — `use()` — excluded). */
function registeredRoutes() {
  return t.app.routes
    .filter((r) => r.path.startsWith(`${PREFIX}/`))
    .filter((r) => !(r.method === "ALL" && r.path.endsWith("*")))
    .filter((r) => r.path !== `${PREFIX}/openapi.json`)
    .map((r) => `${r.method} ${r.path}`);
}

describe("GET /api/v1/openapi.json", () => {
  it("is a valid OpenAPI 3.1 document (independent validator)", async () => {
    expect(document.openapi).toMatch(/^3\.1\.\d+$/);
    const result = await validate(structuredClone(document) as Validated, {
      resolve: { external: false },
    });
    expect(result.valid ? "" : compileErrors(result)).toBe("");
    expect(result.specification).toBe("OpenAPI");
  });

  it("the validator does reject a broken copy (so the check above can fail)", async () => {
    const broken = structuredClone(document);
    const first = documentedOperations(broken)[0];
    if (!first) throw new Error("no operation documented");
    first.operation.responses = { "200": { content: {} } }; // a response needs a description
    const result = await validate(broken as Validated, { resolve: { external: false } });
    expect(result.valid).toBe(false);
  });

  it("documents every route the app serves under /api/v1, and nothing it does not serve", () => {
    const documented = documentedOperations(document).map((o) => `${o.method} ${o.route}`);
    const registered = registeredRoutes();
    expect(documented.length).toBeGreaterThan(0);
    expect([...new Set(registered)].sort()).toEqual([...new Set(documented)].sort());
    expect(documented.length).toBe(new Set(documented).size);
  });

  it("every documented operation answers one of its documented statuses when called", async () => {
    // Made-up ids and no body: each answer must still be one the document announces
    // (so no undocumented 404 "no such route", 405, 415 or 500).
    const unexpected: string[] = [];
    for (const { method, path, operation } of documentedOperations(document)) {
      const url = path.replace(/\{\w+\}/g, "0b7c8f6e-0000-4000-8000-000000000000");
      const answer = await caller.client.fetch(`${PREFIX}${url}`, {
        method,
        headers: { authorization: `Bearer ${key}` },
      });
      const statuses = Object.keys(operation.responses ?? {});
      if (!statuses.includes(String(answer.status))) {
        unexpected.push(
          `${method} ${path} → ${answer.status} (documented: ${statuses.join(", ")})`,
        );
      }
    }
    expect(unexpected).toEqual([]);
  });

  it("an unknown /api/v1 route is not found (the check above can tell the difference)", async () => {
    const answer = await caller.get("/no-such-resource");
    expect(answer.status).toBe(404);
    expect(registeredRoutes()).not.toContain(`GET ${PREFIX}/no-such-resource`);
  });

  it("every operation requires the bearer API key and documents the 401", () => {
    const schemes = document.components?.securitySchemes ?? {};
    const [name] = Object.keys(schemes);
    expect(schemes[name ?? ""]).toMatchObject({ type: "http", scheme: "bearer" });
    expect(document.security).toEqual([{ [name ?? ""]: [] }]);
    for (const { method, path, operation } of documentedOperations(document)) {
      expect(operation.security, `${method} ${path}`).toBeUndefined(); // no opt-out
      expect(Object.keys(operation.responses ?? {}), `${method} ${path}`).toContain("401");
    }
  });
});
