import { afterAll, beforeAll, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import type { TestClient } from "../helpers/client.ts";
import { addMember, orgOwner } from "../helpers/users.ts";

let t: TestApp;
let owner: TestClient;
let participant: TestClient;
let participantMemberId: string;

interface Listed {
  id: string;
  name: string;
  canUse: boolean;
}

beforeAll(async () => {
  t = await startTestApp();
  owner = (await orgOwner(t, "Use Org")).client;
  const member = await addMember(t, owner, "PARTICIPANT");
  participant = member.client;
  participantMemberId = member.memberId;
});
afterAll(() => t.close());

const create = (client: TestClient, name: string) =>
  client.mutate<{ id: string }>("credentials.create", {
    name,
    type: "http_bearer",
    settings: {},
    secret: { token: `token-of-${name}` },
  });

/** What the sharing policy says the member may do with one credential. */
const mayUse = async (client: TestClient, credentialId: string) =>
  (
    await client.query<{ actions: string[] }>("access.assetPermissions", {
      assetType: "credential",
      assetId: credentialId,
    })
  ).actions.includes("credential:use");

it("credentials.list says per credential whether the member may use it, as the policy does", async () => {
  const granted = await create(owner, "Granted");
  const shared = await create(owner, "Shared");
  const hidden = await create(owner, "Hidden");
  const own = await create(participant, "Own");
  await owner.mutate("sharing.grant", {
    assetType: "credential",
    assetId: granted.id,
    memberId: participantMemberId,
    level: "use",
  });
  await owner.mutate("sharing.setMode", {
    assetType: "credential",
    assetId: shared.id,
    mode: "shared",
    defaultLevel: "use",
  });

  const listed = await participant.list<Listed>("credentials.list");
  expect(listed.map((c) => c.name).sort()).toEqual(["Granted", "Own", "Shared"]);
  expect(listed.map((c) => c.id)).not.toContain(hidden.id);
  for (const credential of listed) {
    expect(credential.canUse).toBe(await mayUse(participant, credential.id));
    expect(credential.canUse).toBe(true);
  }
  const ownersView = await owner.list<Listed>("credentials.list");
  expect(ownersView.find((c) => c.id === own.id)?.canUse).toBe(true);
  expect(ownersView.every((c) => c.canUse)).toBe(true);
  // the grant level is how canUse is found, not part of the answer
  expect(Object.keys(listed[0] ?? {})).not.toContain("grantLevel");
});
