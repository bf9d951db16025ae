import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "./helpers/app.ts";
import { auditEvents, members } from "./helpers/orgs.ts";
import { signedInUser } from "./helpers/users.ts";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

interface OrgSummary {
  id: string;
  name: string;
  slug: string;
  role: string;
}

describe("creating an organization", () => {
  it("makes the creator its OWNER and the active organization", async () => {
    const client = await signedInUser(t);
    const me = await client.query<{ userId: string; activeOrganizationId: string | null }>("me");
    expect(me.activeOrganizationId).toBeNull();

    const org = await client.mutate<OrgSummary>("orgs.create", { name: "Acme Robotics" });
    expect(org).toMatchObject({ name: "Acme Robotics", role: "OWNER" });
    expect(org.slug).toMatch(/^acme-robotics-[0-9a-f]{6}$/);

    const after = await client.query<{ activeOrganizationId: string | null }>("me");
    expect(after.activeOrganizationId).toBe(org.id);
    expect(await client.list<OrgSummary>("orgs.list")).toEqual([
      { id: org.id, name: "Acme Robotics", slug: org.slug, role: "OWNER" },
    ]);
    const current = await client.query<OrgSummary & { memberId: string }>("orgs.current");
    expect(current).toMatchObject({ id: org.id, name: "Acme Robotics", role: "OWNER" });

    const list = await members(client);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ id: current.memberId, userId: me.userId, role: "OWNER" });
  });

  it("records org.created in the new organization's audit log", async () => {
    const client = await signedInUser(t);
    const me = await client.query<{ userId: string }>("me");
    const org = await client.mutate<OrgSummary>("orgs.create", {
      name: "Audited",
      slug: "audited",
    });
    const events = await auditEvents(client);
    const created = events.filter((e) => e.action === "org.created");
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({
      organizationId: org.id,
      actorKind: "user",
      actorId: me.userId,
      targetType: "organization",
      targetId: org.id,
      metadata: { name: "Audited", slug: "audited" },
    });
  });

  it("refuses a slug that is already taken with 409 naming the slug, and creates nothing", async () => {
    const first = await signedInUser(t);
    await first.mutate("orgs.create", { name: "Taken", slug: "taken-slug" });

    const second = await signedInUser(t);
    const err = await second.trpcError("mutate", "orgs.create", {
      name: "Other",
      slug: "taken-slug",
    });
    expect(err.status).toBe(409);
    expect(err.error.data.code).toBe("CONFLICT");
    expect(err.error.message).toContain('"taken-slug"');
    expect(await second.list("orgs.list")).toEqual([]);
    const me = await second.query<{ activeOrganizationId: string | null }>("me");
    expect(me.activeOrganizationId).toBeNull();
  });

  it.each([
    ["an empty name", { name: "" }],
    ["a blank name", { name: "   " }],
    ["a name over 100 characters", { name: "x".repeat(101) }],
    ["no name", {}],
  ])("refuses %s with 400 naming the field", async (_label, input) => {
    const client = await signedInUser(t);
    const err = await client.trpcError("mutate", "orgs.create", input);
    expect(err.status).toBe(400);
    expect(err.error.data.code).toBe("BAD_REQUEST");
    expect(err.error.message).toMatch(/^name: /);
    expect(err.error.data.details?.field).toBe("name");
    expect(await client.list("orgs.list")).toEqual([]);
  });

  it("refuses a malformed slug with 400 naming the field", async () => {
    const client = await signedInUser(t);
    const err = await client.trpcError("mutate", "orgs.create", { name: "Ok", slug: "Not A Slug" });
    expect(err.status).toBe(400);
    expect(err.error.data.details?.field).toBe("slug");
    expect(await client.list("orgs.list")).toEqual([]);
  });
});

describe("switching the active organization", () => {
  it("lists every organization of the user and switches between them", async () => {
    const client = await signedInUser(t);
    const a = await client.mutate<OrgSummary>("orgs.create", { name: "Alpha" });
    const b = await client.mutate<OrgSummary>("orgs.create", { name: "Beta" });
    const list = await client.list<OrgSummary>("orgs.list");
    expect(list.map((o) => o.id)).toEqual([a.id, b.id]);
    expect((await client.query<OrgSummary>("orgs.current")).id).toBe(b.id);

    await client.mutate("orgs.setActive", { organizationId: a.id });
    expect((await client.query<OrgSummary>("orgs.current")).id).toBe(a.id);
  });
});
