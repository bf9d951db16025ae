import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "./helpers/app.ts";
import type { TestClient } from "./helpers/client.ts";
import { auditEvents, dbRows, members, VALID_ROLES } from "./helpers/orgs.ts";
import { addMember, orgOwner, uniqueEmail } from "./helpers/users.ts";

let t: TestApp;
let owner: TestClient;
let orgId: string;
let participant: { memberId: string; email: string };

beforeAll(async () => {
  t = await startTestApp();
  ({ client: owner, orgId } = await orgOwner(t, "Roles"));
  participant = await addMember(t, owner, "PARTICIPANT");
});
afterAll(() => t.close());

const unknownRoles = ["owner", "member", "SUPERUSER", ""];

/** Everything an unknown role could have written: invitations, memberships, audit, mail. */
async function snapshot() {
  return {
    invitations: await dbRows(t, sql`select id, role from invitation order by id`),
    members: await members(owner),
    audit: (await auditEvents(owner)).length,
    mails: t.smtp.messages.length,
  };
}

describe("a role name other than OWNER, ADMIN, PARTICIPANT, REVIEWER", () => {
  it.each(unknownRoles)(
    "invitations.create refuses %j with 400 listing the roles",
    async (role) => {
      const before = await snapshot();
      const err = await owner.trpcError("mutate", "invitations.create", {
        email: uniqueEmail(),
        role,
      });
      expect(err.status).toBe(400);
      expect(err.error.data.code).toBe("BAD_REQUEST");
      expect(err.error.data.details?.field).toBe("role");
      expect(err.error.message).toContain(VALID_ROLES);
      expect(await snapshot()).toEqual(before);
    },
  );

  it.each(unknownRoles)(
    "members.updateRole refuses %j with 400 listing the roles",
    async (role) => {
      const before = await snapshot();
      const err = await owner.trpcError("mutate", "members.updateRole", {
        memberId: participant.memberId,
        role,
      });
      expect(err.status).toBe(400);
      expect(err.error.data.details?.field).toBe("role");
      expect(err.error.message).toContain(VALID_ROLES);
      expect(await snapshot()).toEqual(before);
      expect((await members(owner)).find((m) => m.id === participant.memberId)?.role).toBe(
        "PARTICIPANT",
      );
    },
  );

  it("is refused by the database itself: member.role and invitation.role are enums", async () => {
    const [{ user_id: userId } = { user_id: "" }] = await dbRows<{ user_id: string }>(
      t,
      sql`select user_id from member where id = ${participant.memberId}`,
    );
    const otherOrg = randomUUID();
    await t.deps.database.db.execute(
      sql`insert into organization (id, name, slug) values (${otherOrg}, 'Enum', ${`enum-${otherOrg}`})`,
    );
    const insertMember = (role: string) =>
      t.deps.database.db.execute(
        sql`insert into member (id, organization_id, user_id, role) values (${randomUUID()}, ${otherOrg}, ${userId}, ${role})`,
      );
    await expect(insertMember("member")).rejects.toMatchObject({ cause: { code: "22P02" } });
    // The same row with a valid role is accepted: the failure above was the role alone.
    await insertMember("REVIEWER");
    await expect(
      t.deps.database.db.execute(
        sql`update member set role = 'owner' where id = ${participant.memberId}`,
      ),
    ).rejects.toMatchObject({ cause: { code: "22P02" } });
    await expect(
      t.deps.database.db.execute(
        sql`insert into invitation (id, organization_id, email, role, token_hash, invited_by, expires_at)
            values (${randomUUID()}, ${orgId}, 'x@example.com', 'SUPERUSER', ${randomUUID()}, ${userId}, now())`,
      ),
    ).rejects.toMatchObject({ cause: { code: "22P02" } });
  });
});
