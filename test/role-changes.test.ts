import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "./helpers/app.ts";
import { type TestClient, TrpcError } from "./helpers/client.ts";
import { auditEvents, dbRows, members, ownerCount } from "./helpers/orgs.ts";
import { addMember, orgOwner, uniqueEmail } from "./helpers/users.ts";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const myMemberId = async (client: TestClient) =>
  (await client.query<{ memberId: string }>("orgs.current")).memberId;

const roleOf = async (viewer: TestClient, memberId: string) =>
  (await members(viewer)).find((m) => m.id === memberId)?.role;

describe("changing a member's role", () => {
  it("an OWNER promotes a PARTICIPANT to ADMIN, audited with before/after", async () => {
    const { client: owner } = await orgOwner(t);
    const p = await addMember(t, owner, "PARTICIPANT");
    const res = await owner.mutate("members.updateRole", { memberId: p.memberId, role: "ADMIN" });
    expect(res).toEqual({ memberId: p.memberId, role: "ADMIN" });
    expect(await roleOf(owner, p.memberId)).toBe("ADMIN");
    expect((await p.client.query<{ role: string }>("orgs.current")).role).toBe("ADMIN");

    const ownerId = (await owner.query<{ userId: string }>("me")).userId;
    const changed = (await auditEvents(owner)).filter((e) => e.action === "member.role_changed");
    expect(changed).toHaveLength(1);
    expect(changed[0]).toMatchObject({
      actorId: ownerId,
      targetType: "member",
      targetId: p.memberId,
      metadata: { before: "PARTICIPANT", after: "ADMIN" },
    });
  });

  it("nobody changes their own role (403)", async () => {
    const { client: owner } = await orgOwner(t);
    const admin = await addMember(t, owner, "ADMIN");
    const ownerMemberId = await myMemberId(owner);

    const own = await owner.trpcError("mutate", "members.updateRole", {
      memberId: ownerMemberId,
      role: "ADMIN",
    });
    expect(own.status).toBe(403);
    const adminSelf = await admin.client.trpcError("mutate", "members.updateRole", {
      memberId: admin.memberId,
      role: "OWNER",
    });
    expect(adminSelf.status).toBe(403);
    expect(await roleOf(owner, ownerMemberId)).toBe("OWNER");
    expect(await roleOf(owner, admin.memberId)).toBe("ADMIN");
  });
});

describe("an ADMIN cannot touch OWNERs", () => {
  let owner: TestClient;
  let ownerMemberId: string;
  let admin: Awaited<ReturnType<typeof addMember>>;
  let participant: Awaited<ReturnType<typeof addMember>>;

  beforeAll(async () => {
    ({ client: owner } = await orgOwner(t));
    ownerMemberId = await myMemberId(owner);
    admin = await addMember(t, owner, "ADMIN");
    participant = await addMember(t, owner, "PARTICIPANT");
  });

  it("cannot promote anyone to OWNER", async () => {
    const err = await admin.client.trpcError("mutate", "members.updateRole", {
      memberId: participant.memberId,
      role: "OWNER",
    });
    expect(err.status).toBe(403);
    expect(await roleOf(owner, participant.memberId)).toBe("PARTICIPANT");
  });

  it("cannot invite an OWNER", async () => {
    const email = uniqueEmail("would-be-owner");
    const err = await admin.client.trpcError("mutate", "invitations.create", {
      email,
      role: "OWNER",
    });
    expect(err.status).toBe(403);
    expect(await owner.list("invitations.list")).toEqual([]);
    expect(t.smtp.messages.some((m) => m.to.includes(email))).toBe(false);
  });

  it("cannot demote an OWNER", async () => {
    const err = await admin.client.trpcError("mutate", "members.updateRole", {
      memberId: ownerMemberId,
      role: "PARTICIPANT",
    });
    expect(err.status).toBe(403);
    expect(await roleOf(owner, ownerMemberId)).toBe("OWNER");
  });

  it("cannot remove an OWNER", async () => {
    const err = await admin.client.trpcError("mutate", "members.remove", {
      memberId: ownerMemberId,
    });
    expect(err.status).toBe(403);
    expect(await roleOf(owner, ownerMemberId)).toBe("OWNER");
  });

  it("can still manage non-OWNERs (the refusals above are about OWNERs only)", async () => {
    await admin.client.mutate("members.updateRole", {
      memberId: participant.memberId,
      role: "REVIEWER",
    });
    expect(await roleOf(owner, participant.memberId)).toBe("REVIEWER");
  });
});

describe("the last OWNER", () => {
  it("an OWNER makes another OWNER; with two, one may leave; the last cannot leave", async () => {
    const { client: first, orgId } = await orgOwner(t);
    const firstMemberId = await myMemberId(first);
    const second = await addMember(t, first, "ADMIN");
    await first.mutate("members.updateRole", { memberId: second.memberId, role: "OWNER" });
    expect(await roleOf(first, second.memberId)).toBe("OWNER");
    expect(await ownerCount(t, orgId)).toBe(2);

    await first.mutate("orgs.leave");
    expect(await ownerCount(t, orgId)).toBe(1);
    expect(await roleOf(second.client, firstMemberId)).toBeUndefined();

    const err = await second.client.trpcError("mutate", "orgs.leave");
    expect(err.status).toBe(409);
    expect(err.error.data.code).toBe("CONFLICT");
    expect(await ownerCount(t, orgId)).toBe(1);
    expect((await second.client.query<{ role: string }>("orgs.current")).role).toBe("OWNER");
  });

  it("cannot be demoted or removed by anyone", async () => {
    const { client: owner, orgId } = await orgOwner(t);
    const ownerMemberId = await myMemberId(owner);
    const admin = await addMember(t, owner, "ADMIN");
    for (const [client, path, input] of [
      [owner, "members.updateRole", { memberId: ownerMemberId, role: "ADMIN" }],
      [owner, "members.remove", { memberId: ownerMemberId }],
      [admin.client, "members.updateRole", { memberId: ownerMemberId, role: "ADMIN" }],
      [admin.client, "members.remove", { memberId: ownerMemberId }],
    ] as const) {
      const err = await client.trpcError("mutate", path, input);
      expect([403, 409]).toContain(err.status);
    }
    expect(await ownerCount(t, orgId)).toBe(1);
    expect(await roleOf(owner, ownerMemberId)).toBe("OWNER");
  });

  it("two OWNERs demoting each other at the same time: exactly one succeeds", async () => {
    for (let round = 0; round < 3; round++) {
      const { client: a, orgId } = await orgOwner(t);
      const aMemberId = await myMemberId(a);
      const b = await addMember(t, a, "OWNER");

      const results = await Promise.allSettled([
        a.mutate("members.updateRole", { memberId: b.memberId, role: "ADMIN" }),
        b.client.mutate("members.updateRole", { memberId: aMemberId, role: "ADMIN" }),
      ]);
      const succeeded = results.filter((r) => r.status === "fulfilled");
      const refused = results.flatMap((r) => (r.status === "rejected" ? [r.reason] : []));
      expect(succeeded).toHaveLength(1);
      expect(refused).toHaveLength(1);
      expect(refused[0]).toBeInstanceOf(TrpcError);
      // 409 when both got past authorization; 403 when the loser was already demoted.
      expect([403, 409]).toContain((refused[0] as TrpcError).status);
      expect(await ownerCount(t, orgId)).toBe(1);
    }
  });

  it.runIf(process.env.DATABASE_URL)(
    "PostgreSQL: both demotions queued on the OWNER rows — the second is refused",
    async () => {
      const { client: a, orgId } = await orgOwner(t);
      const aMemberId = await myMemberId(a);
      const b = await addMember(t, a, "OWNER");

      // Both requests pass every check made before their transaction, then queue on the lock.
      const release = await holdOwnerRows(orgId);
      const first = a.mutate("members.updateRole", { memberId: b.memberId, role: "ADMIN" });
      await waitForLockWaiters(1);
      // settle at once: it may be refused before `first` is awaited below
      const second = b.client
        .mutate("members.updateRole", { memberId: aMemberId, role: "ADMIN" })
        .then(
          () => null,
          (e: unknown) => e,
        );
      await waitForLockWaiters(2);
      await release();

      expect(await first).toEqual({ memberId: b.memberId, role: "ADMIN" });
      const err = await second;
      expect(err).toBeInstanceOf(TrpcError);
      // B was demoted before its own change ran, so B may no longer touch an OWNER.
      expect((err as TrpcError).status).toBe(403);
      expect(await ownerCount(t, orgId)).toBe(1);
      expect(await roleOf(a, aMemberId)).toBe("OWNER");
    },
  );

  it.runIf(process.env.DATABASE_URL)(
    "PostgreSQL: an OWNER demoted while their own change waits can no longer demote an OWNER",
    async () => {
      const { client: a, orgId } = await orgOwner(t);
      const b = await addMember(t, a, "OWNER");
      const c = await addMember(t, a, "OWNER");

      const release = await holdOwnerRows(orgId);
      const aDemotesB = a.mutate("members.updateRole", { memberId: b.memberId, role: "ADMIN" });
      await waitForLockWaiters(1);
      // B's request was authorized as an OWNER, but runs only after A's demotion of B.
      const bDemotesC = b.client
        .mutate("members.updateRole", { memberId: c.memberId, role: "PARTICIPANT" })
        .then(
          () => null,
          (e: unknown) => e,
        );
      await waitForLockWaiters(2);
      await release();

      await aDemotesB;
      const err = await bDemotesC;
      expect(err).toBeInstanceOf(TrpcError);
      expect((err as TrpcError).status).toBe(403);
      expect(await roleOf(a, c.memberId)).toBe("OWNER");
      expect(await ownerCount(t, orgId)).toBe(2);
    },
  );
});

/**
 * PostgreSQL only: locks the organization's OWNER rows from a separate transaction until the
 * returned function is called, so concurrent requests queue behind it in a known order.
 */
async function holdOwnerRows(orgId: string): Promise<() => Promise<void>> {
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let locked = () => {};
  const isLocked = new Promise<void>((resolve) => {
    locked = resolve;
  });
  const blocker = t.deps.database.db.transaction(async (tx) => {
    await tx.execute(
      sql`select id from member where organization_id = ${orgId} and role = 'OWNER' for update`,
    );
    locked();
    await released;
  });
  await isLocked;
  return async () => {
    release();
    await blocker;
  };
}

/** Waits until `n` sessions of this test database are waiting for a lock (fails otherwise). */
async function waitForLockWaiters(n: number) {
  let waiting = 0;
  for (let i = 0; i < 500 && waiting !== n; i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, 10));
    const [row] = await dbRows<{ n: number }>(
      t,
      sql`select count(*)::int as n from pg_stat_activity
          where datname = current_database() and wait_event_type = 'Lock'`,
    );
    waiting = row?.n ?? 0;
  }
  expect(waiting).toBe(n);
}
