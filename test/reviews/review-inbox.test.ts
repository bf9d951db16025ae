import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import type { TestClient } from "../helpers/client.ts";
import { members } from "../helpers/orgs.ts";
import { addMember, orgOwner } from "../helpers/users.ts";

let t: TestApp;
let owner: TestClient;
let ownerMemberId: string;
let reviewer: { client: TestClient; memberId: string };
let participant: { client: TestClient; memberId: string };

interface Page {
  items: { id: string; title: string }[];
  nextCursor: string | null;
}

interface ReviewDetail {
  assignees: { memberId: string; email: string }[];
  links: { id: string; revokedAt: string | null }[];
  allowed: { decide: boolean; link: boolean };
  activity: { kind: string; channel: string; memberEmail: string | null }[];
}

const request = (client: TestClient, title: string, input: Record<string, unknown> = {}) =>
  client.mutate<{ id: string }>("reviews.request", { title, ...input });

beforeAll(async () => {
  t = await startTestApp();
  const org = await orgOwner(t, "Inbox Org");
  owner = org.client;
  const me = await owner.query<{ userId: string }>("me");
  ownerMemberId = (await members(owner)).find((m) => m.userId === me.userId)?.id ?? "";
  reviewer = await addMember(t, owner, "REVIEWER");
  participant = await addMember(t, owner, "PARTICIPANT");
});
afterAll(() => t.close());

describe("reviews.list", () => {
  it("pages newest first with nextCursor until it is null, each review once", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push((await request(owner, `Paged ${i}`, { anyReviewer: true })).id);
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const page = await owner.query<Page>("reviews.list", { limit: 2, cursor });
      seen.push(...page.items.map((r) => r.id));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(seen.filter((id) => ids.includes(id))).toEqual([...ids].reverse());
    expect(new Set(seen).size).toBe(seen.length);
  });

  it("refuses a forged cursor naming the field", async () => {
    const err = await owner.trpcError("query", "reviews.list", { cursor: "not-a-cursor" });
    expect(err.status).toBe(400);
    expect(err.error.message).toContain("cursor");
  });

  it("assignedToMe keeps only the reviews naming the member", async () => {
    const mine = await request(owner, "Mine", { assignees: [reviewer.memberId] });
    const anyone = await request(owner, "Anyone", { anyReviewer: true });
    const all = await reviewer.client.query<Page>("reviews.list", { limit: 200 });
    expect(all.items.map((r) => r.id)).toEqual(expect.arrayContaining([mine.id, anyone.id]));
    const assigned = await reviewer.client.query<Page>("reviews.list", {
      assignedToMe: true,
      limit: 200,
    });
    expect(assigned.items.map((r) => r.id)).toEqual([mine.id]);
  });
});

describe("reviews.get", () => {
  it("names the assignees and says what the caller may do", async () => {
    const { id } = await request(owner, "Who decides", { assignees: [reviewer.memberId] });
    const asReviewer = await reviewer.client.query<ReviewDetail>("reviews.get", { reviewId: id });
    expect(asReviewer.assignees).toEqual([
      expect.objectContaining({ memberId: reviewer.memberId, email: expect.any(String) }),
    ]);
    expect(asReviewer.allowed).toEqual({ decide: true, link: false });
    const asOwner = await owner.query<ReviewDetail>("reviews.get", { reviewId: id });
    expect(asOwner.allowed.link).toBe(true);
    expect(asOwner.assignees.map((a) => a.memberId)).not.toContain(ownerMemberId);
  });

  it("lists links (never their tokens) to those who may manage them; activity names the member", async () => {
    const { id } = await request(owner, "Linked", { anyReviewer: true });
    const link = await owner.mutate<{ id: string; url: string }>("reviews.createLink", {
      reviewId: id,
    });
    await owner.mutate("reviews.revokeLink", { reviewId: id, linkId: link.id });
    const detail = await owner.query<ReviewDetail>("reviews.get", { reviewId: id });
    expect(detail.links).toEqual([
      expect.objectContaining({ id: link.id, revokedAt: expect.any(String) }),
    ]);
    const token = new URL(link.url).pathname.split("/").pop() ?? link.url;
    expect(JSON.stringify(detail)).not.toContain(token);
    const { email } = await owner.query<{ email: string }>("me");
    expect(detail.activity.filter((a) => a.kind.startsWith("link_"))).toEqual([
      expect.objectContaining({ kind: "link_created", channel: "app", memberEmail: email }),
      expect.objectContaining({ kind: "link_revoked", channel: "app", memberEmail: email }),
    ]);
    const asReviewer = await reviewer.client.query<ReviewDetail>("reviews.get", { reviewId: id });
    expect(asReviewer.links).toEqual([]);
  });

  it("a PARTICIPANT may neither see nor decide a review not routed to them", async () => {
    const { id } = await request(owner, "Not theirs", { assignees: [reviewer.memberId] });
    expect(
      (await participant.client.trpcError("query", "reviews.get", { reviewId: id })).status,
    ).toBe(404);
  });
});
