import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "./helpers/app.ts";
import type { TestClient } from "./helpers/client.ts";
import { dbRows, invite, type MemberRow, members } from "./helpers/orgs.ts";
import { addMember, orgOwner } from "./helpers/users.ts";

let t: TestApp;
let ownerA: TestClient;
let orgA: string;
let ownerB: TestClient;
let orgB: string;
let membersB: MemberRow[];
let invitationB: string;

beforeAll(async () => {
  t = await startTestApp();
  ({ client: ownerA, orgId: orgA } = await orgOwner(t, "Org A"));
  ({ client: ownerB, orgId: orgB } = await orgOwner(t, "Org B"));
  await addMember(t, ownerB, "PARTICIPANT");
  invitationB = (await invite(t, ownerB, "ADMIN")).invitationId;
  membersB = await members(ownerB);
});
afterAll(() => t.close());

/** Org B exactly as it was: same members with the same roles, invitation still pending. */
async function expectOrgBUnchanged() {
  expect(await members(ownerB)).toEqual(membersB);
  const rows = await dbRows<{ status: string }>(
    t,
    sql`select status from invitation where id = ${invitationB}`,
  );
  expect(rows).toEqual([{ status: "pending" }]);
}

describe("an OWNER of org A acting on org B's objects gets 404, never 403", () => {
  it("members.updateRole with org B's member ids", async () => {
    for (const target of membersB) {
      const err = await ownerA.trpcError("mutate", "members.updateRole", {
        memberId: target.id,
        role: "ADMIN",
      });
      expect(err.status).toBe(404);
      expect(err.error.data.code).toBe("NOT_FOUND");
    }
    await expectOrgBUnchanged();
  });

  it("members.remove with org B's member ids", async () => {
    for (const target of membersB) {
      const err = await ownerA.trpcError("mutate", "members.remove", { memberId: target.id });
      expect(err.status).toBe(404);
    }
    await expectOrgBUnchanged();
  });

  it("invitations.revoke with org B's invitation id", async () => {
    const err = await ownerA.trpcError("mutate", "invitations.revoke", {
      invitationId: invitationB,
    });
    expect(err.status).toBe(404);
    await expectOrgBUnchanged();
  });

  it("orgs.setActive to an organization the user is not a member of", async () => {
    const err = await ownerA.trpcError("mutate", "orgs.setActive", { organizationId: orgB });
    expect(err.status).toBe(404);
    const me = await ownerA.query<{ activeOrganizationId: string }>("me");
    expect(me.activeOrganizationId).toBe(orgA);
    expect((await ownerA.query<{ id: string }>("orgs.current")).id).toBe(orgA);
  });

  it("an id that exists nowhere answers the same 404 (existence is not revealed)", async () => {
    const err = await ownerA.trpcError("mutate", "members.remove", { memberId: "no-such-member" });
    expect(err.status).toBe(404);
    const foreign = await ownerA.trpcError("mutate", "members.remove", {
      memberId: membersB[0]?.id,
    });
    expect(foreign.error.message).toBe(err.error.message);
  });
});
