import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "./helpers/app.ts";
import type { TestClient } from "./helpers/client.ts";
import { addMember, orgOwner } from "./helpers/users.ts";

let t: TestApp;
let owner: TestClient;
let participant: { client: TestClient; memberId: string };
let colleague: { client: TestClient; memberId: string };
let reviewer: { client: TestClient; memberId: string };
let foreignOwner: TestClient;

beforeAll(async () => {
  t = await startTestApp();
  owner = (await orgOwner(t, "Sharing Org")).client;
  participant = await addMember(t, owner, "PARTICIPANT");
  colleague = await addMember(t, owner, "PARTICIPANT");
  reviewer = await addMember(t, owner, "REVIEWER");
  foreignOwner = (await orgOwner(t, "Foreign Org")).client;
});
afterAll(() => t.close());

const createWorkflow = async (client: TestClient, name: string) =>
  (await client.mutate<{ id: string }>("workflows.create", { name })).id;
const names = async (client: TestClient) =>
  (await client.list<{ name: string }>("workflows.list")).map((w) => w.name);
const ref = (assetId: string) => ({ assetType: "workflow", assetId });

describe("workflow sharing", () => {
  it("a restricted workflow is invisible until granted, and view does not allow edit", async () => {
    const id = await createWorkflow(owner, "restricted-1");
    expect(await names(participant.client)).not.toContain("restricted-1");
    expect(
      (await participant.client.trpcError("query", "workflows.get", { workflowId: id })).status,
    ).toBe(404);

    await owner.mutate("sharing.grant", {
      ...ref(id),
      memberId: participant.memberId,
      level: "view",
    });
    expect(await names(participant.client)).toContain("restricted-1");
    const edit = await participant.client.trpcError("mutate", "workflows.update", {
      workflowId: id,
      name: "x",
    });
    expect(edit.status).toBe(403);

    await owner.mutate("sharing.grant", {
      ...ref(id),
      memberId: participant.memberId,
      level: "edit",
    });
    await participant.client.mutate("workflows.update", { workflowId: id, name: "renamed-1" });
    expect(await names(owner)).toContain("renamed-1");

    await owner.mutate("sharing.revoke", { ...ref(id), memberId: participant.memberId });
    expect(await names(participant.client)).not.toContain("renamed-1");
  });

  it("the creator edits their own workflow; shared mode gives every non-reviewer the default level", async () => {
    const id = await createWorkflow(participant.client, "mine-2");
    await participant.client.mutate("workflows.update", { workflowId: id, description: "ok" });
    expect(await names(colleague.client)).not.toContain("mine-2");
    await participant.client.mutate("sharing.setMode", {
      ...ref(id),
      mode: "shared",
      defaultLevel: "view",
    });
    expect(await names(colleague.client)).toContain("mine-2");
    const perms = await colleague.client.query<{ actions: string[] }>(
      "access.assetPermissions",
      ref(id),
    );
    expect(perms.actions).toEqual(["workflow:view"]);
    expect((await reviewer.client.trpcError("query", "workflows.list")).status).toBe(403);
    expect(
      (await reviewer.client.trpcError("query", "workflows.get", { workflowId: id })).status,
    ).toBe(404);
  });

  it("a REVIEWER can never hold a grant, and a credential level does not fit a workflow", async () => {
    const id = await createWorkflow(owner, "no-reviewers-3");
    const err = await owner.trpcError("mutate", "sharing.grant", {
      ...ref(id),
      memberId: reviewer.memberId,
      level: "view",
    });
    expect(err.status).toBe(400);
    const level = await owner.trpcError("mutate", "sharing.grant", {
      ...ref(id),
      memberId: participant.memberId,
      level: "use",
    });
    expect(level.error.message).toContain("view, edit");
  });

  it("another organization's workflow and members are 404", async () => {
    const id = await createWorkflow(owner, "ours-4");
    expect(
      (await foreignOwner.trpcError("query", "workflows.get", { workflowId: id })).status,
    ).toBe(404);
    expect(
      (
        await foreignOwner.trpcError("mutate", "sharing.grant", {
          ...ref(id),
          memberId: participant.memberId,
          level: "view",
        })
      ).status,
    ).toBe(404);
    const theirs = await createWorkflow(foreignOwner, "theirs-4");
    expect(
      (
        await owner.trpcError("mutate", "sharing.grant", {
          ...ref(theirs),
          memberId: participant.memberId,
          level: "view",
        })
      ).status,
    ).toBe(404);
    const own = await createWorkflow(owner, "ours-4b");
    const fakeMember = await owner.trpcError("mutate", "sharing.grant", {
      ...ref(own),
      memberId: "nope",
      level: "view",
    });
    expect(fakeMember.status).toBe(404);
  });
});

describe("becoming a REVIEWER", () => {
  it("removes every grant the member held, in the same change", async () => {
    const demoted = await addMember(t, owner, "PARTICIPANT");
    const id = await createWorkflow(owner, "granted-then-demoted");
    await owner.mutate("sharing.grant", { ...ref(id), memberId: demoted.memberId, level: "edit" });
    expect(await names(demoted.client)).toContain("granted-then-demoted");

    await owner.mutate("members.updateRole", { memberId: demoted.memberId, role: "REVIEWER" });
    const sharing = await owner.query<{ grants: { memberId: string }[] }>("sharing.get", ref(id));
    expect(sharing.grants.map((g) => g.memberId)).not.toContain(demoted.memberId);
    expect(
      (await demoted.client.trpcError("query", "workflows.get", { workflowId: id })).status,
    ).toBe(404);

    // promoted back, they do not silently regain access
    await owner.mutate("members.updateRole", { memberId: demoted.memberId, role: "PARTICIPANT" });
    expect(await names(demoted.client)).not.toContain("granted-then-demoted");
  });
});
