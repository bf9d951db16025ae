import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import type { TestClient } from "../helpers/client.ts";
import { addMember, orgOwner } from "../helpers/users.ts";
import { type GrantState, grantStates, parseExpected, tableRoles } from "./expected-permissions.ts";

/**
 * The matrix again, through the real tRPC procedures: each role × grant state tries each
 * workflow action on a fresh workflow. Refusals are 404 when the member may not even see
 * the workflow, 403 otherwise.
 */
const expected = parseExpected();
const procedures: Record<
  string,
  (client: TestClient, id: string, other: string) => Promise<unknown>
> = {
  "workflow:view": (c, id) => c.query("workflows.get", { workflowId: id }),
  "workflow:edit": (c, id) =>
    c.mutate("workflows.update", { workflowId: id, description: "changed" }),
  "workflow:share": (c, id, other) =>
    c.mutate("sharing.grant", {
      assetType: "workflow",
      assetId: id,
      memberId: other,
      level: "view",
    }),
  "workflow:delete": (c, id) => c.mutate("workflows.delete", { workflowId: id }),
};

let t: TestApp;
let creator: TestClient;
let bystanderId: string;
const members = {} as Record<(typeof tableRoles)[number], { client: TestClient; memberId: string }>;

beforeAll(async () => {
  t = await startTestApp();
  creator = (await orgOwner(t, "Matrix Org")).client;
  for (const role of tableRoles) members[role] = await addMember(t, creator, role);
  bystanderId = (await addMember(t, creator, "PARTICIPANT")).memberId;
});
afterAll(() => t.close());

const levelFor: Record<GrantState, string | null> = { none: null, low: "view", edit: "edit" };

describe("workflow actions through the procedures", () => {
  for (const role of tableRoles) {
    grantStates.forEach((state, i) => {
      if (role === "REVIEWER" && state !== "none") return; // a REVIEWER can never hold a grant
      for (const [action, call] of Object.entries(procedures)) {
        const allowed = expected.get(action)?.[role][i] === "✓";
        const canView = expected.get("workflow:view")?.[role][i] === "✓";
        it(`${role} with grant ${state}: ${action} ${allowed ? "allowed" : "refused"}`, async () => {
          const { id } = await creator.mutate<{ id: string }>("workflows.create", {
            name: `${role}-${state}-${action}`,
          });
          const level = levelFor[state];
          const { client, memberId } = members[role];
          if (level)
            await creator.mutate("sharing.grant", {
              assetType: "workflow",
              assetId: id,
              memberId,
              level,
            });
          if (allowed) {
            await expect(call(client, id, bystanderId)).resolves.toBeDefined();
          } else {
            await expect(call(client, id, bystanderId)).rejects.toMatchObject({
              status: canView ? 403 : 404,
            });
          }
        });
      }
    });
  }
});
