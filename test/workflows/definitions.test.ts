import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import type { TestClient } from "../helpers/client.ts";
import { addMember, orgOwner } from "../helpers/users.ts";

let t: TestApp;
let owner: TestClient;
let workflowId: string;

beforeAll(async () => {
  t = await startTestApp();
  owner = (await orgOwner(t, "Definitions Org")).client;
  workflowId = (await owner.mutate<{ id: string }>("workflows.create", { name: "defs" })).id;
});
afterAll(() => t.close());

const save = (definition: unknown, client = owner, id = workflowId) =>
  client.mutate<{ version: number }>("workflows.saveDefinition", { workflowId: id, definition });
const refusal = async (definition: unknown) => {
  const error = await owner.trpcError("mutate", "workflows.saveDefinition", {
    workflowId,
    definition,
  });
  expect(error.status).toBe(400);
  return error.error.message;
};
const trigger = { id: "start", type: "manual_trigger" };

describe("saving a definition", () => {
  it("versions each save; executions record the version they ran", async () => {
    const first = await save({ nodes: [trigger] });
    const second = await save({
      nodes: [trigger, { id: "t", type: "transform", parameters: { fields: {} } }],
      edges: [{ from: "start", to: "t" }],
    });
    expect(second.version).toBe(first.version + 1);
    const current = await owner.query<{ version: number; definition: { nodes: unknown[] } }>(
      "workflows.getDefinition",
      { workflowId },
    );
    expect(current.version).toBe(second.version);
    const old = await owner.query<{ definition: { nodes: unknown[] } }>("workflows.getDefinition", {
      workflowId,
      version: first.version,
    });
    expect(old.definition.nodes).toHaveLength(1);
  });

  it("refuses an unknown node type, naming the node", async () => {
    expect(
      await refusal({
        nodes: [trigger, { id: "x", type: "htp_request" }],
        edges: [{ from: "start", to: "x" }],
      }),
    ).toContain('node "x": unknown node type "htp_request"');
  });

  it("refuses cycles, naming the nodes on them", async () => {
    const t2 = (id: string) => ({ id, type: "transform", parameters: { fields: {} } });
    const message = await refusal({
      nodes: [trigger, t2("a"), t2("b")],
      edges: [
        { from: "start", to: "a" },
        { from: "a", to: "b" },
        { from: "b", to: "a" },
      ],
    });
    expect(message).toMatch(/node "(a|b)": is part of a cycle/);
  });

  it("refuses dangling edges, missing parameters, unknown ports and a second trigger", async () => {
    expect(await refusal({ nodes: [trigger], edges: [{ from: "start", to: "ghost" }] })).toContain(
      "unknown node",
    );
    expect(
      await refusal({
        nodes: [trigger, { id: "h", type: "http_request" }],
        edges: [{ from: "start", to: "h" }],
      }),
    ).toContain('node "h": parameters.url');
    expect(
      await refusal({
        nodes: [
          trigger,
          { id: "c", type: "if", parameters: { condition: true } },
          { id: "d", type: "transform", parameters: { fields: {} } },
        ],
        edges: [
          { from: "start", to: "c" },
          { from: "c", to: "d", port: "maybe" },
        ],
      }),
    ).toContain('node "c": has no output "maybe"');
    expect(await refusal({ nodes: [trigger, { id: "s2", type: "webhook_trigger" }] })).toContain(
      "exactly one trigger",
    );
  });

  it("accepts expressions where a typed value is expected, and refuses bad expression syntax", async () => {
    await save({
      nodes: [
        trigger,
        {
          id: "h",
          type: "http_request",
          parameters: { url: "{{ trigger.url }}", timeoutMs: "{{ trigger.ms }}" },
        },
      ],
      edges: [{ from: "start", to: "h" }],
    });
    expect(
      await refusal({
        nodes: [
          trigger,
          { id: "h", type: "http_request", parameters: { url: "{{ trigger.url ++ }}" } },
        ],
        edges: [{ from: "start", to: "h" }],
      }),
    ).toContain('node "h": parameters.url');
  });

  it("refuses an expression in a literal field (the SQL of a PostgreSQL node)", async () => {
    const credential = await owner.mutate<{ id: string }>("credentials.create", {
      name: "db",
      type: "postgres",
      settings: { mode: "url" },
      secret: { connectionUrl: "postgres://u@127.0.0.1:5432/test" },
    });
    const message = await refusal({
      nodes: [
        trigger,
        {
          id: "q",
          type: "postgres_query",
          credentialId: credential.id,
          parameters: { query: "select * from t where id = {{ trigger.id }}", values: [] },
        },
      ],
      edges: [{ from: "start", to: "q" }],
    });
    expect(message).toContain("parameters.query: must be literal");
  });

  it("refuses a credential of the wrong type, of another org, or one the saver may not use", async () => {
    const smtp = await owner.mutate<{ id: string }>("credentials.create", {
      name: "mail",
      type: "smtp",
      settings: { host: "127.0.0.1", port: 25, secure: false, user: "u", from: "a@example.com" },
      secret: { password: "p" },
    });
    const httpNode = (credentialId: string) => ({
      nodes: [
        trigger,
        { id: "h", type: "http_request", credentialId, parameters: { url: "https://example.com" } },
      ],
      edges: [{ from: "start", to: "h" }],
    });
    expect(await refusal(httpNode(smtp.id))).toContain(
      "is of type smtp; this node accepts http_bearer, http_basic, http_header",
    );

    const foreign = (await orgOwner(t, "Foreign Org")).client;
    const theirs = await foreign.mutate<{ id: string }>("credentials.create", {
      name: "x",
      type: "http_bearer",
      secret: { token: "t" },
    });
    expect(await refusal(httpNode(theirs.id))).toContain("not found");

    const participant = await addMember(t, owner, "PARTICIPANT");
    const ours = await owner.mutate<{ id: string }>("credentials.create", {
      name: "ours",
      type: "http_bearer",
      secret: { token: "t" },
    });
    const own = await participant.client.mutate<{ id: string }>("workflows.create", { name: "p" });
    const error = await participant.client.trpcError("mutate", "workflows.saveDefinition", {
      workflowId: own.id,
      definition: httpNode(ours.id),
    });
    expect(error.error.message).toContain("not found");
    await owner.mutate("sharing.grant", {
      assetType: "credential",
      assetId: ours.id,
      memberId: participant.memberId,
      level: "use",
    });
    await save(httpNode(ours.id), participant.client, own.id);
  });

  it("lists every problem with its node and field, for an editor to put them in place", async () => {
    const error = await owner.trpcError("mutate", "workflows.saveDefinition", {
      workflowId,
      definition: {
        nodes: [
          trigger,
          { id: "h", type: "http_request", parameters: { url: "{{ trigger.url ++ }}" } },
          { id: "m", type: "transform", parameters: { fields: {} }, credentialId: "c1" },
          { id: "n", type: "transform", name: "x".repeat(201), parameters: { fields: {} } },
        ],
        edges: [{ from: "start", to: "h" }],
      },
    });
    expect(error.status).toBe(400);
    // the shape of the definition is checked first, and a problem in a node still names it
    expect(error.error.data.details?.problems).toEqual([
      { nodeId: "n", path: "name", message: expect.stringContaining("200") },
    ]);
    const semantic = await owner.trpcError("mutate", "workflows.saveDefinition", {
      workflowId,
      definition: {
        nodes: [
          trigger,
          { id: "h", type: "http_request", parameters: { url: "{{ trigger.url ++ }}" } },
          { id: "m", type: "transform", parameters: { fields: {} }, credentialId: "c1" },
        ],
        edges: [{ from: "start", to: "h" }],
      },
    });
    expect(semantic.error.message).toMatch(/^Invalid workflow: node "h": parameters\.url: /);
    expect(semantic.error.data.details).toEqual({
      field: "definition",
      problems: [
        { nodeId: "h", path: "parameters.url", message: expect.any(String) },
        { nodeId: "m", path: "credentialId", message: "a transform node takes no credential" },
      ],
    });
  });

  it("keeps each node's position on the canvas", async () => {
    const nodes = [
      { ...trigger, position: { x: 10, y: -20.5 } },
      { id: "t", type: "transform", parameters: { fields: {} }, position: { x: 300, y: 0 } },
    ];
    await save({ nodes, edges: [{ from: "start", to: "t" }] });
    const saved = await owner.query<{ definition: { nodes: unknown[] } }>(
      "workflows.getDefinition",
      { workflowId },
    );
    expect(saved.definition.nodes).toMatchObject(nodes);
    expect(await refusal({ nodes: [{ ...trigger, position: { x: "left", y: 0 } }] })).toContain(
      'node "start": position.x',
    );
  });

  it("lists versions newest first with their author", async () => {
    const before = await owner.query<{ currentVersion: number }>("workflows.get", { workflowId });
    await save({ nodes: [trigger] });
    const { items } = await owner.query<{
      items: { version: number; createdAt: string; author: { email: string } | null }[];
    }>("workflowVersions.list", { workflowId, limit: 2 });
    expect(items.map((v) => v.version)).toEqual([before.currentVersion + 1, before.currentVersion]);
    const me = await owner.query<{ email: string }>("me");
    expect(items[0]?.author?.email).toBe(me.email);
  });

  it("pages through every version, the oldest included", async () => {
    const { currentVersion } = await owner.query<{ currentVersion: number }>("workflows.get", {
      workflowId,
    });
    const seen: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await owner.query<{ items: { version: number }[]; nextCursor: string | null }>(
        "workflowVersions.list",
        { workflowId, limit: 2, ...(cursor ? { cursor } : {}) },
      );
      seen.push(...page.items.map((v) => v.version));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(Array.from({ length: currentVersion }, (_, i) => currentVersion - i));
    const forged = await owner.trpcError("query", "workflowVersions.list", {
      workflowId,
      cursor: "0; drop table",
    });
    expect(forged.status).toBe(400);
    expect(forged.message).toContain("cursor");
  });

  it("tells an editor's palette which group each node type belongs to", async () => {
    const types =
      await owner.query<{ type: string; group: string; ports: string[] }[]>("workflows.nodeTypes");
    const group = (type: string) => types.find((t) => t.type === type)?.group;
    expect([group("webhook_trigger"), group("http_request"), group("if"), group("review")]).toEqual(
      ["trigger", "action", "logic", "review"],
    );
  });

  it("an OWNER of another organization gets the 404 of an unknown workflow for its versions and definition", async () => {
    await save({ nodes: [trigger] });
    const foreign = (await orgOwner(t, "Prying Org")).client;
    for (const path of ["workflowVersions.list", "workflows.getDefinition"]) {
      const theirs = await foreign.trpcError("query", path, { workflowId });
      const unknown = await foreign.trpcError("query", path, { workflowId: "no-such-workflow" });
      expect([theirs.status, theirs.error.message]).toEqual([404, unknown.error.message]);
    }
  });

  it("REVIEWERs cannot see definitions; PARTICIPANTs with view cannot save or run", async () => {
    const reviewer = await addMember(t, owner, "REVIEWER");
    expect(
      (await reviewer.client.trpcError("query", "workflows.getDefinition", { workflowId })).status,
    ).toBe(404);
    expect(
      (await reviewer.client.trpcError("mutate", "workflows.run", { workflowId })).status,
    ).toBe(404);
    const viewer = await addMember(t, owner, "PARTICIPANT");
    await owner.mutate("sharing.grant", {
      assetType: "workflow",
      assetId: workflowId,
      memberId: viewer.memberId,
      level: "view",
    });
    await viewer.client.query("workflows.getDefinition", { workflowId });
    await viewer.client.query("workflowVersions.list", { workflowId });
    expect(
      (await reviewer.client.trpcError("query", "workflowVersions.list", { workflowId })).status,
    ).toBe(404);
    expect(
      (
        await viewer.client.trpcError("mutate", "workflows.saveDefinition", {
          workflowId,
          definition: { nodes: [trigger] },
        })
      ).status,
    ).toBe(403);
    expect((await viewer.client.trpcError("mutate", "workflows.run", { workflowId })).status).toBe(
      403,
    );
  });
});
