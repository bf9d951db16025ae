import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import type { TestClient } from "../helpers/client.ts";
import { addMember, orgOwner } from "../helpers/users.ts";
import { type GrantState, grantStates, parseExpected, tableRoles } from "./expected-permissions.ts";

/**
 * The matrix again, through the real tRPC procedures: each role × grant state tries each
 * workflow and credential action on a fresh asset. Refusals are 404 when the member may not
 * even see the asset, 403 otherwise.
 */
const expected = parseExpected();

type Call = (client: TestClient, id: string, other: string) => Promise<unknown>;
const share =
  (assetType: string, level: string): Call =>
  (c, id, other) =>
    c.mutate("sharing.grant", { assetType, assetId: id, memberId: other, level });

const procedures: Record<string, Call> = {
  "workflow:view": (c, id) => c.query("workflows.get", { workflowId: id }),
  "workflow:edit": (c, id) =>
    c.mutate("workflows.update", { workflowId: id, description: "changed" }),
  "workflow:share": share("workflow", "view"),
  "workflow:delete": (c, id) => c.mutate("workflows.delete", { workflowId: id }),
  "credential:view": (c, id) => c.query("credentials.get", { credentialId: id }),
  // a connection test needs `use`; its target is refused by the outbound guard, harmlessly
  "credential:use": (c, id) => c.mutate("credentials.testConnection", { credentialId: id }),
  "credential:edit": (c, id) =>
    c.mutate("credentials.update", { credentialId: id, name: "changed" }),
  "credential:share": share("credential", "use"),
  "credential:delete": (c, id) => c.mutate("credentials.delete", { credentialId: id }),
};

type CreateAsset = (client: TestClient, name: string) => Promise<{ id: string }>;
const createAsset: Record<string, CreateAsset> = {
  workflow: (c, name) => c.mutate("workflows.create", { name }),
  credential: (c, name) =>
    c.mutate("credentials.create", {
      name,
      type: "smtp",
      settings: { host: "10.11.12.13", port: 25, secure: false, user: "u", from: "a@example.com" },
      secret: { password: "p" },
    }),
};

const levelFor: Record<string, Record<GrantState, string | null>> = {
  workflow: { none: null, low: "view", edit: "edit" },
  credential: { none: null, low: "use", edit: "edit" },
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

describe("workflow and credential actions through the procedures", () => {
  for (const role of tableRoles) {
    grantStates.forEach((state, i) => {
      if (role === "REVIEWER" && state !== "none") return; // a REVIEWER can never hold a grant
      for (const [action, call] of Object.entries(procedures)) {
        const type = action.split(":")[0] as string;
        const allowed = expected.get(action)?.[role][i] === "✓";
        const canView = expected.get(`${type}:view`)?.[role][i] === "✓";
        it(`${role} with grant ${state}: ${action} ${allowed ? "allowed" : "refused"}`, async () => {
          const { id } = await (createAsset[type] as CreateAsset)(
            creator,
            `${role}-${state}-${action}`,
          );
          const level = levelFor[type]?.[state];
          const { client, memberId } = members[role];
          if (level)
            await creator.mutate("sharing.grant", {
              assetType: type,
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
