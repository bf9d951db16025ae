import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "../src/trpc/router.ts";
import { startTestApp, type TestApp } from "./helpers/app.ts";
import type { TestClient } from "./helpers/client.ts";
import { orgOwner } from "./helpers/users.ts";
import { createEndpoint } from "./webhooks/delivery-fixture.ts";

let t: TestApp;
let owner: TestClient;
let endpointId: string;
let workflowId: string;

beforeAll(async () => {
  t = await startTestApp();
  const org = await orgOwner(t, "List Shape Org");
  owner = org.client;
  ({ id: workflowId } = await owner.mutate<{ id: string }>("workflows.create", { name: "Listed" }));
  ({ id: endpointId } = await createEndpoint(t, org.orgId, "https://hooks.example.com/x"));
});
afterAll(() => t.close());

/** What a list procedure with an input is called with: its required fields, else `{}`. */
const inputOf = (path: string) => {
  const procedure = appRouter._def.procedures[path as keyof typeof appRouter._def.procedures];
  if (!(procedure as unknown as { _def: { inputs: unknown[] } })._def.inputs.length) return;
  if (path === "webhookDeliveries.list") return { endpointId };
  return path === "workflowVersions.list" ? { workflowId } : {};
};

describe("every tRPC list procedure", () => {
  it("answers { items, nextCursor }, whether it pages by cursor or is bounded by its nature", async () => {
    const lists = Object.keys(appRouter._def.procedures).filter((path) => path.endsWith(".list"));
    expect(lists).toEqual(
      expect.arrayContaining(["orgs.list", "members.list", "workflows.list", "executions.list"]),
    );
    const shapes: Record<string, unknown> = {};
    for (const path of lists) {
      const page = await owner.query<Record<string, unknown>>(path, inputOf(path));
      shapes[path] = {
        keys: Object.keys(page).sort(),
        items: Array.isArray(page.items),
        nextCursor: page.nextCursor === null ? null : typeof page.nextCursor,
      };
    }
    const expected = { keys: ["items", "nextCursor"], items: true, nextCursor: null };
    expect(shapes).toEqual(Object.fromEntries(lists.map((path) => [path, expected])));
  });

  it("a bounded list's items are its rows", async () => {
    const { items } = await owner.query<{ items: { name: string }[] }>("workflows.list");
    expect(items.map((w) => w.name)).toEqual(["Listed"]);
  });
});
