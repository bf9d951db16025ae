import { randomBytes, randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INVITATION_LIMITS } from "../src/modules/orgs/invitation-limits.ts";
import { startTestApp, type TestApp } from "./helpers/app.ts";
import type { TestClient } from "./helpers/client.ts";
import { dbRows, invite } from "./helpers/orgs.ts";
import { orgOwner, uniqueEmail } from "./helpers/users.ts";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

/** Sends an invitation and revokes it at once, as an abuser of the mailer would. */
async function inviteAndRevoke(owner: TestClient, email: string) {
  const { invitationId } = await invite(t, owner, "PARTICIPANT", email);
  await owner.mutate("invitations.revoke", { invitationId });
}

async function refusal(owner: TestClient, email: string) {
  const before = t.smtp.messages.length;
  const res = await owner.post("/trpc/invitations.create", { email, role: "PARTICIPANT" });
  const body = (await res.json()) as {
    error: { message: string; data: { code: string; details?: Record<string, unknown> } };
  };
  await new Promise((r) => setTimeout(r, 100)); // a mail, if one were sent, would have arrived
  expect(t.smtp.messages.length).toBe(before);
  return { status: res.status, retryAfter: res.headers.get("retry-after"), error: body.error };
}

const mailsTo = (email: string) => t.smtp.messages.filter((m) => m.to.includes(email)).length;

describe("hourly invitation limits", () => {
  it("invite → revoke → invite to one address stops at the per-address limit, with 429 naming it", async () => {
    const { client: owner } = await orgOwner(t, "Looping Org");
    const email = uniqueEmail("target");
    for (let i = 0; i < INVITATION_LIMITS.perAddress; i++) await inviteAndRevoke(owner, email);

    const refused = await refusal(owner, email);
    expect(refused.status).toBe(429);
    expect(refused.error.data.code).toBe("TOO_MANY_REQUESTS");
    expect(refused.error.message).toContain(`${email} has received`);
    expect(refused.error.data.details).toMatchObject({
      limit: "invitations_per_address_per_hour",
      max: INVITATION_LIMITS.perAddress,
    });
    expect(Number(refused.retryAfter)).toBeGreaterThan(59 * 60);
    expect(mailsTo(email)).toBe(INVITATION_LIMITS.perAddress);
  });

  it("the per-address limit holds across organizations (creating another one does not help)", async () => {
    const email = uniqueEmail("target");
    for (let i = 0; i < INVITATION_LIMITS.perAddress; i++) {
      await inviteAndRevoke((await orgOwner(t, `Throwaway ${i}`)).client, email);
    }
    const { client: fresh } = await orgOwner(t, "Yet Another Org");
    expect((await refusal(fresh, email)).status).toBe(429);
  });

  it("an organization sends at most its hourly number of invitations", async () => {
    const { client: owner } = await orgOwner(t, "Bulk Org");
    for (let i = 0; i < INVITATION_LIMITS.perOrganization; i++) {
      await owner.mutate("invitations.create", { email: uniqueEmail("bulk"), role: "REVIEWER" });
    }
    const refused = await refusal(owner, uniqueEmail("one-more"));
    expect(refused.status).toBe(429);
    expect(refused.error.data.details).toMatchObject({
      limit: "invitations_per_organization_per_hour",
    });
    expect(refused.error.message).toMatch(/^This organization has sent 50 invitations/);
  });

  it("one user sends at most the per-inviter number across all their organizations", async () => {
    const { client: owner, orgId: firstOrg } = await orgOwner(t, "Spread Org");
    const userId = (await owner.query<{ userId: string }>("me")).userId;
    // What many organizations would have sent in the last hour, written directly.
    for (let i = 0; i < INVITATION_LIMITS.perInviter; i++) {
      await dbRows(
        t,
        sql`insert into invitation (id, organization_id, email, role, token_hash, invited_by, expires_at)
            values (${randomUUID()}, ${firstOrg}, ${uniqueEmail("spread")}, 'PARTICIPANT',
                    ${randomBytes(16).toString("hex")}, ${userId}, now() + interval '1 day')`,
      );
    }
    const second = await owner.mutate<{ id: string }>("orgs.create", { name: "Second Spread" });
    await owner.mutate("orgs.setActive", { organizationId: second.id });
    const refused = await refusal(owner, uniqueEmail("spread"));
    expect(refused.status).toBe(429);
    expect(refused.error.data.details).toMatchObject({ limit: "invitations_per_inviter_per_hour" });
  });

  it("invitations sent at the same moment are counted one after another: none passes a limit", async () => {
    // (Counted outside the insert's transaction, most of these passed on PostgreSQL.)
    // one address invited by many organizations at once
    const email = uniqueEmail("burst");
    const owners = await Promise.all(
      Array.from({ length: 8 }, async (_, i) => (await orgOwner(t, `Burst ${i}`)).client),
    );
    const answers = await Promise.all(
      owners.map((owner) => owner.post("/trpc/invitations.create", { email, role: "PARTICIPANT" })),
    );
    const statuses = answers.map((res) => res.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(INVITATION_LIMITS.perAddress);
    expect(statuses.filter((s) => s === 429)).toHaveLength(8 - INVITATION_LIMITS.perAddress);
    expect(mailsTo(email)).toBe(INVITATION_LIMITS.perAddress);

    // one organization inviting past its hourly number at once
    const { client: bulk } = await orgOwner(t, "Burst Bulk Org");
    const extra = 10;
    const bulkAnswers = await Promise.all(
      Array.from({ length: INVITATION_LIMITS.perOrganization + extra }, () =>
        bulk.post("/trpc/invitations.create", {
          email: uniqueEmail("burst-bulk"),
          role: "REVIEWER",
        }),
      ),
    );
    expect(bulkAnswers.filter((res) => res.status === 200)).toHaveLength(
      INVITATION_LIMITS.perOrganization,
    );
    expect(bulkAnswers.filter((res) => res.status === 429)).toHaveLength(extra);
  }, 90_000); // nine sign-ups: slow on a loaded machine

  it("invitations older than an hour no longer count", async () => {
    const { client: owner } = await orgOwner(t, "Patient Org");
    const email = uniqueEmail("later");
    for (let i = 0; i < INVITATION_LIMITS.perAddress; i++) await inviteAndRevoke(owner, email);
    expect((await refusal(owner, email)).status).toBe(429);
    await dbRows(
      t,
      sql`update invitation set created_at = now() - interval '61 minutes' where email = ${email}`,
    );
    await invite(t, owner, "PARTICIPANT", email);
    expect(mailsTo(email)).toBe(INVITATION_LIMITS.perAddress + 1);
  });
});

describe("invitation mail", () => {
  it("keeps the organization's name out of the subject; the body quotes it, cleaned and cut short", async () => {
    const name = `Claim your prize\r\nBcc: all@example.com\u202e ${"x".repeat(50)}`;
    const { client: owner } = await orgOwner(t, name);
    const sent = await invite(t, owner, "PARTICIPANT");
    expect(sent.mail.subject).toBe("You are invited to an organization on Fluxo");
    const quoted = /the organization "([^"]*)" on Fluxo/.exec(sent.mail.text)?.[1] ?? "";
    expect(quoted.startsWith("Claim your prize Bcc: all@example.com x")).toBe(true);
    expect(Array.from(quoted)).toHaveLength(60);
    expect(quoted.endsWith("…")).toBe(true);
    expect(quoted).not.toMatch(/[\r\n\u202e]/);
    expect(sent.mail.to).toEqual([sent.email]);
  });
});
