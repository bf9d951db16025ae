import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, TEST_BASE_URL, type TestApp } from "./helpers/app.ts";
import type { TestClient } from "./helpers/client.ts";
import { auditEvents, dbRows, invite, members, sha256Hex } from "./helpers/orgs.ts";
import { addMember, orgOwner, PASSWORD, signedInUser, uniqueEmail } from "./helpers/users.ts";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

/** The membership of `email` in the owner's organization, if any. */
async function membershipOf(owner: TestClient, email: string) {
  return (await members(owner)).find((m) => m.email === email);
}

describe("invite → accept", () => {
  it("mails a link with the token; accepting makes the invitee a member with that role", async () => {
    const { client: owner, orgId } = await orgOwner(t, "Invite Co");
    const sent = await invite(t, owner, "PARTICIPANT");

    expect(sent.mail.to).toEqual([sent.email]);
    expect(sent.mail.subject).toBe("You are invited to an organization on Fluxo");
    expect(sent.mail.text).toContain('the organization "Invite Co"');
    expect(sent.link).toBe(`${TEST_BASE_URL}/invitations/accept?token=${sent.token}`);
    expect(sent.token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const invitee = await signedInUser(t, sent.email);
    const joined = await invitee.mutate<{ organizationId: string; memberId: string; role: string }>(
      "invitations.accept",
      { token: sent.token },
    );
    expect(joined).toMatchObject({ organizationId: orgId, role: "PARTICIPANT" });

    const me = await invitee.query<{ activeOrganizationId: string }>("me");
    expect(me.activeOrganizationId).toBe(orgId);
    const current = await invitee.query<{ id: string; role: string; memberId: string }>(
      "orgs.current",
    );
    expect(current).toMatchObject({ id: orgId, role: "PARTICIPANT", memberId: joined.memberId });
    expect(await membershipOf(owner, sent.email)).toMatchObject({
      id: joined.memberId,
      role: "PARTICIPANT",
    });
    // The invitation is no longer pending.
    expect(await owner.list("invitations.list")).toEqual([]);
  });

  it("records member.invited and member.joined", async () => {
    const { client: owner } = await orgOwner(t);
    const sent = await invite(t, owner, "REVIEWER");
    const invitee = await signedInUser(t, sent.email);
    const joined = await invitee.mutate<{ memberId: string }>("invitations.accept", {
      token: sent.token,
    });
    const inviteeId = (await invitee.query<{ userId: string }>("me")).userId;
    const ownerId = (await owner.query<{ userId: string }>("me")).userId;

    const events = await auditEvents(owner);
    expect(events.find((e) => e.action === "member.invited")).toMatchObject({
      actorId: ownerId,
      targetType: "invitation",
      targetId: sent.invitationId,
      metadata: { email: sent.email, role: "REVIEWER" },
    });
    expect(events.find((e) => e.action === "member.joined")).toMatchObject({
      actorId: inviteeId,
      targetType: "member",
      targetId: joined.memberId,
      metadata: { invitationId: sent.invitationId, role: "REVIEWER" },
    });
  });

  it("never stores the raw token: only its SHA-256 is in the invitation table", async () => {
    const { client: owner } = await orgOwner(t);
    const sent = await invite(t, owner, "ADMIN");
    const rows = await dbRows(t, sql`select * from invitation where id = ${sent.invitationId}`);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.token_hash).toBe(sha256Hex(sent.token));
    const everything = JSON.stringify(await dbRows(t, sql`select * from invitation`));
    expect(everything).not.toContain(sent.token);
  });

  it("refuses (403) a session whose e-mail differs, and creates no membership", async () => {
    const { client: owner } = await orgOwner(t);
    const sent = await invite(t, owner, "ADMIN");

    const stranger = await signedInUser(t);
    const err = await stranger.trpcError("mutate", "invitations.accept", { token: sent.token });
    expect(err.status).toBe(403);
    expect(err.error.message).toMatch(/different e-mail/);
    expect(await stranger.list("orgs.list")).toEqual([]);
    expect((await members(owner)).length).toBe(1);

    // The invitation is untouched: the right person can still accept it.
    const invitee = await signedInUser(t, sent.email);
    await invitee.mutate("invitations.accept", { token: sent.token });
    expect(await membershipOf(owner, sent.email)).toMatchObject({ role: "ADMIN" });
  });

  it("answers 404 for an unknown token", async () => {
    const user = await signedInUser(t);
    const err = await user.trpcError("mutate", "invitations.accept", {
      token: randomBytes(32).toString("base64url"),
    });
    expect(err.status).toBe(404);
  });

  it("answers 404 for a revoked invitation and creates no membership", async () => {
    const { client: owner } = await orgOwner(t);
    const sent = await invite(t, owner, "PARTICIPANT");
    await owner.mutate("invitations.revoke", { invitationId: sent.invitationId });

    const invitee = await signedInUser(t, sent.email);
    const err = await invitee.trpcError("mutate", "invitations.accept", { token: sent.token });
    expect(err.status).toBe(404);
    expect(await invitee.list("orgs.list")).toEqual([]);
    expect(await membershipOf(owner, sent.email)).toBeUndefined();
  });

  it("answers 404 for an expired invitation and creates no membership", async () => {
    const { client: owner } = await orgOwner(t);
    const sent = await invite(t, owner, "PARTICIPANT");
    await t.deps.database.db.execute(
      sql`update invitation set expires_at = now() - interval '1 second' where id = ${sent.invitationId}`,
    );

    const invitee = await signedInUser(t, sent.email);
    const err = await invitee.trpcError("mutate", "invitations.accept", { token: sent.token });
    expect(err.status).toBe(404);
    expect(await invitee.list("orgs.list")).toEqual([]);
    expect(await membershipOf(owner, sent.email)).toBeUndefined();
  });

  it("answers 404 for a token that was already used", async () => {
    const { client: owner } = await orgOwner(t);
    const sent = await invite(t, owner, "PARTICIPANT");
    const invitee = await signedInUser(t, sent.email);
    await invitee.mutate("invitations.accept", { token: sent.token });

    const again = await invitee.trpcError("mutate", "invitations.accept", { token: sent.token });
    expect(again.status).toBe(404);
    // A second session of the same person cannot replay it either.
    const secondSession = t.client();
    const signIn = await secondSession.post("/api/auth/sign-in/email", {
      email: sent.email,
      password: PASSWORD,
    });
    expect(signIn.status).toBe(200);
    const replay = await secondSession.trpcError("mutate", "invitations.accept", {
      token: sent.token,
    });
    expect(replay.status).toBe(404);
    expect((await members(owner)).filter((m) => m.email === sent.email)).toHaveLength(1);
  });

  it("requires a signed-in user to accept", async () => {
    const { client: owner } = await orgOwner(t);
    const sent = await invite(t, owner, "PARTICIPANT", uniqueEmail("anon"));
    const err = await t.client().trpcError("mutate", "invitations.accept", { token: sent.token });
    expect(err.status).toBe(401);
  });
});

describe("concurrent invitations", () => {
  it("five simultaneous invitations of one address create exactly one pending invitation", async () => {
    const { client: owner, orgId } = await orgOwner(t, "Race Org");
    const email = uniqueEmail("race");
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () =>
        owner.mutate("invitations.create", { email, role: "PARTICIPANT" }),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results.filter((r) => r.status === "rejected")) {
      expect((r as PromiseRejectedResult).reason).toMatchObject({ status: 409 });
    }
    const rows = await dbRows(
      t,
      sql`select id from invitation where organization_id = ${orgId} and email = ${email} and status = 'pending'`,
    );
    expect(rows).toHaveLength(1);
  });
});

describe("an invitation carries its sender's authority", () => {
  it("no longer holds once the sender was demoted or removed", async () => {
    const { client: owner } = await orgOwner(t, "Authority Org");
    const admin = await addMember(t, owner, "ADMIN");
    const sent = await invite(t, admin.client, "ADMIN");
    const stillValid = await invite(t, admin.client, "PARTICIPANT");

    // the ADMIN who sent them becomes a PARTICIPANT (who may not invite at all)
    await owner.mutate("members.updateRole", { memberId: admin.memberId, role: "PARTICIPANT" });
    const invitee = await signedInUser(t, sent.email);
    const refused = await invitee.trpcError("mutate", "invitations.accept", { token: sent.token });
    expect(refused.status).toBe(404);
    expect(await invitee.list<unknown>("orgs.list")).toEqual([]);

    // promoted back, the sender's pending invitation holds again
    await owner.mutate("members.updateRole", { memberId: admin.memberId, role: "ADMIN" });
    const other = await signedInUser(t, stillValid.email);
    await other.mutate("invitations.accept", { token: stillValid.token });
  });
});

describe("invitations.preview (public, by token)", () => {
  const preview = (token: string) => t.client().query<Preview>("invitations.preview", { token });
  interface Preview {
    organizationName: string;
    role: string;
    inviterName: string;
    email: string;
    expiresAt: string;
    state: string;
  }

  it("tells anyone holding the link who invites them where and as what, with the address masked", async () => {
    const { client: owner } = await orgOwner(t, "Preview Org");
    const ownerEmail = (await owner.query<{ email: string }>("me")).email;
    const sent = await invite(t, owner, "REVIEWER", uniqueEmail("previewed"));

    const shown = await preview(sent.token);
    // Only these fields: no ids of the organization, invitation or inviter.
    expect(Object.keys(shown).sort()).toEqual(
      ["email", "expiresAt", "inviterName", "organizationName", "role", "state"].sort(),
    );
    expect(shown).toMatchObject({
      organizationName: "Preview Org",
      role: "REVIEWER",
      inviterName: ownerEmail.split("@")[0],
      state: "pending",
    });
    expect(shown.email).toBe(`p•••@${sent.email.split("@")[1]}`);
    expect(new Date(shown.expiresAt).getTime()).toBeGreaterThan(Date.now());
  });

  it("answers the same 404 for an unknown token and for garbage", async () => {
    for (const token of [randomBytes(32).toString("base64url"), "x", "../../etc"]) {
      const err = await t.client().trpcError("query", "invitations.preview", { token });
      expect(err.status).toBe(404);
      expect(err.message).toMatch(/: Invitation not found$/);
    }
  });

  it("says expired, revoked or accepted for an invitation that no longer holds", async () => {
    const { client: owner } = await orgOwner(t, "States Org");
    const expired = await invite(t, owner, "PARTICIPANT");
    await t.deps.database.db.execute(
      sql`update invitation set expires_at = now() - interval '1 second' where id = ${expired.invitationId}`,
    );
    const revoked = await invite(t, owner, "PARTICIPANT");
    await owner.mutate("invitations.revoke", { invitationId: revoked.invitationId });
    const accepted = await invite(t, owner, "PARTICIPANT");
    await (await signedInUser(t, accepted.email)).mutate("invitations.accept", {
      token: accepted.token,
    });

    expect(await preview(expired.token)).toMatchObject({
      state: "expired",
      organizationName: "States Org",
    });
    expect(await preview(revoked.token)).toMatchObject({ state: "revoked" });
    expect(await preview(accepted.token)).toMatchObject({ state: "accepted" });
  });

  it("reads as revoked once its sender may no longer grant it, as accept would refuse it", async () => {
    const { client: owner } = await orgOwner(t);
    const admin = await addMember(t, owner, "ADMIN");
    const sent = await invite(t, admin.client, "ADMIN");
    await owner.mutate("members.updateRole", { memberId: admin.memberId, role: "PARTICIPANT" });
    expect(await preview(sent.token)).toMatchObject({ state: "revoked" });
  });

  it("a token of one organization reveals only its own invitation", async () => {
    const { client: ownerA } = await orgOwner(t, "Org A");
    const { client: ownerB } = await orgOwner(t, "Org B");
    const fromA = await invite(t, ownerA, "PARTICIPANT");
    const fromB = await invite(t, ownerB, "ADMIN");
    const shownA = await preview(fromA.token);
    expect(shownA).toMatchObject({ organizationName: "Org A", role: "PARTICIPANT" });
    expect(JSON.stringify(shownA)).not.toContain("Org B");
    expect(JSON.stringify(shownA)).not.toContain(fromB.email.split("@")[0]);
    expect(await preview(fromB.token)).toMatchObject({ organizationName: "Org B", role: "ADMIN" });
  });

  it("cuts off an address that keeps presenting unknown tokens, valid ones included", async () => {
    const { client: owner } = await orgOwner(t);
    const sent = await invite(t, owner, "PARTICIPANT");
    const guesser = t.client();
    let status = 0;
    for (let i = 0; i < 12 && status !== 429; i++) {
      const res = await guesser.fetch(
        `/trpc/invitations.preview?input=${encodeURIComponent(JSON.stringify({ token: randomBytes(32).toString("base64url") }))}`,
      );
      status = res.status;
    }
    expect(status).toBe(429);
    const err = await guesser.trpcError("query", "invitations.preview", { token: sent.token });
    expect(err.status).toBe(429);
    // another address is not affected
    expect(await preview(sent.token)).toMatchObject({ state: "pending" });
    expect(err.message).toMatch(/retry in \d+ seconds/);
  });
});
