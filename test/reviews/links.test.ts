import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEngineWorkers } from "../../src/modules/workflows/engine/worker.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import type { TestClient } from "../helpers/client.ts";
import { auditEvents, dbRows, sha256Hex } from "../helpers/orgs.ts";
import { addMember, orgOwner } from "../helpers/users.ts";
import { stepOf, waitForExecution } from "../workflows/harness.ts";
import {
  activityOf,
  BROWSER,
  expectPublicHeaders,
  openPage,
  type PausedReview,
  pathOf,
  pausedReview,
  reviewRow,
  submit,
} from "./links-harness.ts";

let t: TestApp;
let owner: TestClient;

beforeAll(async () => {
  t = await startTestApp();
  await startEngineWorkers(t.deps.engine, t.deps.queue);
  owner = (await orgOwner(t, "Link Org")).client;
});
afterAll(() => t.close());

interface Link {
  id: string;
  url: string;
  expiresAt: string;
  maxUses: number;
}

const createLink = (review: PausedReview, extra: Record<string, unknown> = {}, by = owner) =>
  by.mutate<Link>("reviews.createLink", { reviewId: review.reviewId, ...extra });

describe("creating and revoking links", () => {
  it("shows the URL once and stores only the token's SHA-256", async () => {
    const review = await pausedReview(t, owner);
    const link = await createLink(review, { maxUses: 3 });
    const token = pathOf(link.url).split("/")[2] as string;
    expect(link.url).toBe(`${t.deps.config.baseUrl}/r/${token}`);
    expect(Buffer.from(token, "base64url")).toHaveLength(32);
    expect(link.maxUses).toBe(3);

    const rows = await dbRows(t, sql`select * from review_link where id = ${link.id}`);
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(rows[0]?.token_hash).toBe(sha256Hex(token));

    // the session cookie and the form token are hashed too
    const visitor = t.client();
    const { csrf } = await openPage(visitor, pathOf(link.url));
    const cookie = visitor.cookies.get("fluxo_review") as string;
    expect(csrf).toBeTruthy();
    expect(cookie).toBeTruthy();
    const sessions = JSON.stringify(
      await dbRows(t, sql`select * from review_session where review_id = ${review.reviewId}`),
    );
    expect(sessions).toContain(sha256Hex(cookie));
    expect(sessions).not.toContain(cookie);
    expect(sessions).not.toContain(csrf);

    const activity = await activityOf(t, review.reviewId);
    expect(activity.some((a) => a.kind === "link_created" && a.link_id === link.id)).toBe(true);
    expect(
      (await auditEvents(owner)).some(
        (e) => e.action === "review.link_created" && e.targetId === review.reviewId,
      ),
    ).toBe(true);
  });

  it("never outlives the review, and needs review:link", async () => {
    const review = await pausedReview(t, owner);
    const long = await createLink(review, { expiresInSeconds: 30 * 24 * 3600 });
    expect(new Date(long.expiresAt).getTime()).toBe(review.expiresAt.getTime());
    const short = await createLink(review, { expiresInSeconds: 600 });
    expect(new Date(short.expiresAt).getTime()).toBeLessThan(Date.now() + 601_000);

    const reviewer = await addMember(t, owner, "REVIEWER");
    const refused = await reviewer.client.trpcError("mutate", "reviews.createLink", {
      reviewId: review.reviewId,
    });
    expect(refused.status).toBe(403); // routed to them (any reviewer), but not theirs to share
    const foreign = (await orgOwner(t, "Other Link Org")).client;
    expect(
      (await foreign.trpcError("mutate", "reviews.createLink", { reviewId: review.reviewId }))
        .status,
    ).toBe(404);
  });
});

describe("a public link page", () => {
  it("shows the review escaped, with the security headers, and GET changes nothing", async () => {
    const review = await pausedReview(t, owner, { amount: 40, who: "<script>alert(1)</script>" });
    const link = await createLink(review);
    const visitor = t.client();
    for (let i = 0; i < 2; i++) {
      const { res, body, csrf } = await openPage(visitor, pathOf(link.url));
      expect(res.status).toBe(200);
      expect(expectPublicHeaders(res)).toEqual([]);
      expect(res.headers.get("set-cookie")).toMatch(/HttpOnly/i);
      expect(res.headers.get("set-cookie")).toMatch(/SameSite=Strict/i);
      expect(res.headers.get("set-cookie")).toContain(`Path=${pathOf(link.url)}`);
      expect(body).toContain("Refund 40 EUR?");
      expect(body).toContain("Customer &lt;script&gt;alert(1)&lt;/script&gt;");
      expect(body).toContain("&quot;who&quot;: &quot;&lt;script&gt;"); // the payload, as JSON
      expect(body).not.toContain("<script");
      expect(csrf).toBeTruthy();
    }
    expect((await reviewRow(t, review.reviewId))?.status).toBe("pending");
    const execution = await waitForExecution(owner, review.executionId, ["waiting"]);
    expect(execution.status).toBe("waiting");
    const [usage] = await dbRows<{ views: number; decisions: number; last_used_at: unknown }>(
      t,
      sql`select views, decisions, last_used_at from review_link where id = ${link.id}`,
    );
    expect(usage).toMatchObject({ views: 2, decisions: 0 });
    expect(usage?.last_used_at).not.toBeNull();
    const viewed = (await activityOf(t, review.reviewId)).filter((a) => a.kind === "viewed");
    expect(viewed).toHaveLength(2);
    expect(viewed[0]).toMatchObject({ channel: "link", ip: visitor.ip, user_agent: BROWSER });
    expect(viewed[0]?.detail.session).toBeTruthy();
    expect(viewed[0]?.detail.session).not.toBe(viewed[1]?.detail.session);
  });

  it("an approval resumes the execution down the approved branch, recorded with IP, UA and label", async () => {
    const review = await pausedReview(t, owner);
    const link = await createLink(review);
    const visitor = t.client();
    const { csrf } = await openPage(visitor, pathOf(link.url));
    const done = await submit(visitor, pathOf(link.url), {
      csrf,
      name: "Grace <Hopper>",
      comment: "fine",
      decision: "approved",
    });
    expect(done.res.status).toBe(200);
    expect(expectPublicHeaders(done.res)).toEqual([]);
    expect(done.body).toContain("approved");

    const execution = await waitForExecution(owner, review.executionId);
    expect(stepOf(execution, "yes")?.status).toBe("succeeded");
    expect(stepOf(execution, "no")?.status).toBe("skipped");
    expect(await reviewRow(t, review.reviewId)).toMatchObject({
      status: "approved",
      decision_channel: "link",
      decided_by_label: "Grace <Hopper> (public link)",
    });
    const decided = (await activityOf(t, review.reviewId)).find((a) => a.kind === "approved");
    expect(decided).toMatchObject({
      channel: "link",
      link_id: link.id,
      actor_label: "Grace <Hopper> (public link)",
      ip: visitor.ip,
      user_agent: BROWSER,
    });
    const submitted = (await activityOf(t, review.reviewId)).find((a) => a.kind === "submitted");
    expect(submitted?.detail.session).toBeTruthy();
    const audit = (await auditEvents(owner)).find(
      (e) => e.action === "review.approved" && e.targetId === review.reviewId,
    );
    expect(audit).toMatchObject({ actorKind: "reviewLink", actorId: link.id, ip: visitor.ip });

    const again = await submit(visitor, pathOf(link.url), {
      csrf,
      name: "Grace",
      decision: "rejected",
    });
    expect(again.res.status).toBe(409);
    expect(again.body).toContain("already approved");
    expect((await openPage(t.client(), pathOf(link.url))).res.status).toBe(410);
  });

  it("a rejection takes the rejected branch", async () => {
    const review = await pausedReview(t, owner);
    const link = await createLink(review);
    const visitor = t.client();
    const { csrf } = await openPage(visitor, pathOf(link.url));
    const done = await submit(visitor, pathOf(link.url), {
      csrf,
      name: "Linus",
      decision: "rejected",
    });
    expect(done.res.status).toBe(200);
    const execution = await waitForExecution(owner, review.executionId);
    expect(stepOf(execution, "no")?.status).toBe("succeeded");
    expect(stepOf(execution, "yes")?.status).toBe("skipped");
  });

  it("refuses a POST without the session's own CSRF token, or without a name", async () => {
    const review = await pausedReview(t, owner);
    const link = await createLink(review);
    const path = pathOf(link.url);
    const visitor = t.client();
    const other = t.client();
    const mine = await openPage(visitor, path);
    const theirs = await openPage(other, path);
    const attempt = (fields: Record<string, string | undefined>, client = visitor) =>
      submit(client, path, { name: "Mallory", decision: "approved", ...fields });

    expect((await attempt({})).res.status).toBe(403);
    expect((await attempt({ csrf: "x".repeat(43) })).res.status).toBe(403);
    expect((await attempt({ csrf: theirs.csrf })).res.status).toBe(403);
    const noCookie = t.client();
    expect((await attempt({ csrf: mine.csrf }, noCookie)).res.status).toBe(403);
    const blank = await attempt({ csrf: mine.csrf, name: "  " });
    expect(blank.res.status).toBe(400);
    expect((await attempt({ csrf: mine.csrf, name: "x".repeat(101) })).res.status).toBe(400);
    expect((await reviewRow(t, review.reviewId))?.status).toBe("pending");
    const [usage] = await dbRows<{ decisions: number }>(
      t,
      sql`select decisions from review_link where id = ${link.id}`,
    );
    expect(usage?.decisions).toBe(0);

    expect((await attempt({ csrf: mine.csrf })).res.status).toBe(200);
  });

  it("unknown, expired, revoked and used-up links get the same page, and decide nothing", async () => {
    const review = await pausedReview(t, owner);
    const expired = await createLink(review);
    const revoked = await createLink(review);
    const usedUp = await createLink(review);
    const visitors = [t.client(), t.client(), t.client()];
    const forms = await Promise.all(
      [expired, revoked, usedUp].map((l, i) => openPage(visitors[i] as TestClient, pathOf(l.url))),
    );
    await t.deps.database.db.execute(
      sql`update review_link set expires_at = now() - interval '1 second' where id = ${expired.id}`,
    );
    await owner.mutate("reviews.revokeLink", { reviewId: review.reviewId, linkId: revoked.id });
    await t.deps.database.db.execute(
      sql`update review_link set decisions = max_uses where id = ${usedUp.id}`,
    );

    const unknown = await openPage(t.client(), `/r/${"A".repeat(43)}`);
    expect(unknown.res.status).toBe(404);
    expect(expectPublicHeaders(unknown.res)).toEqual([]);
    for (const link of [expired, revoked, usedUp]) {
      const page = await openPage(t.client(), pathOf(link.url));
      expect(page.res.status).toBe(410);
      expect(page.body).toBe(unknown.body);
      expect(page.body).not.toContain("Refund");
      expect(expectPublicHeaders(page.res)).toEqual([]);
    }
    // a session opened before is no help either
    for (const [i, link] of [expired, revoked, usedUp].entries()) {
      const late = await submit(visitors[i] as TestClient, pathOf(link.url), {
        csrf: forms[i]?.csrf,
        name: "Late",
        decision: "approved",
      });
      expect(late.res.status).toBe(410);
      expect(late.body).toBe(unknown.body);
    }
    expect((await reviewRow(t, review.reviewId))?.status).toBe("pending");
    expect(
      (await activityOf(t, review.reviewId)).some(
        (a) => a.kind === "link_revoked" && a.link_id === revoked.id,
      ),
    ).toBe(true);
  });

  it("is bound to its own review: org A's link cannot reach org B's review", async () => {
    const reviewA = await pausedReview(t, owner);
    const ownerB = (await orgOwner(t, "Org B")).client;
    const reviewB = await pausedReview(t, ownerB);
    const linkA = await createLink(reviewA);
    const linkB = await createLink(reviewB, {}, ownerB);
    expect(reviewA.orgId).not.toBe(reviewB.orgId);

    // a session and CSRF token of A's link, presented on B's link
    const visitor = t.client();
    const { csrf } = await openPage(visitor, pathOf(linkA.url));
    const cookie = `fluxo_review=${visitor.cookies.get("fluxo_review")}`;
    const cross = await visitor.fetch(pathOf(linkB.url), {
      method: "POST",
      body: new URLSearchParams({ csrf: csrf as string, name: "A", decision: "approved" }),
      headers: { cookie },
    });
    expect(cross.status).toBe(403);
    expect((await reviewRow(t, reviewB.reviewId))?.status).toBe("pending");

    const own = await submit(visitor, pathOf(linkA.url), { csrf, name: "A", decision: "approved" });
    expect(own.res.status).toBe(200);
    expect((await reviewRow(t, reviewA.reviewId))?.status).toBe("approved");
    expect((await reviewRow(t, reviewB.reviewId))?.status).toBe("pending");
    // org B sees nothing of A's activity, and A's link is not B's to revoke
    expect(
      (
        await ownerB.trpcError("mutate", "reviews.revokeLink", {
          reviewId: reviewA.reviewId,
          linkId: linkA.id,
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await ownerB.trpcError("mutate", "reviews.revokeLink", {
          reviewId: reviewB.reviewId,
          linkId: linkA.id,
        })
      ).status,
    ).toBe(404);
  });

  it("of 50 concurrent decisions through a 50-use link exactly one wins", async () => {
    const review = await pausedReview(t, owner);
    const link = await createLink(review, { maxUses: 50 });
    const path = pathOf(link.url);
    const visitors = Array.from({ length: 50 }, () => t.client());
    const forms = await Promise.all(visitors.map((v) => openPage(v, path)));
    const results = await Promise.all(
      visitors.map((v, i) =>
        submit(v, path, {
          csrf: forms[i]?.csrf,
          name: `Visitor ${i}`,
          decision: i % 2 ? "approved" : "rejected",
        }),
      ),
    );
    const statuses = results.map((r) => r.res.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    const [usage] = await dbRows<{ decisions: number }>(
      t,
      sql`select decisions from review_link where id = ${link.id}`,
    );
    expect(usage?.decisions).toBe(1);
    const decisions = (await activityOf(t, review.reviewId)).filter((a) =>
      ["approved", "rejected"].includes(a.kind),
    );
    expect(decisions).toHaveLength(1);
    expect((await waitForExecution(owner, review.executionId)).status).toBe("succeeded");
  });

  it("throttles an address that keeps presenting unknown tokens", async () => {
    const review = await pausedReview(t, owner);
    const link = await createLink(review);
    const guesser = t.client();
    for (let i = 0; i < 10; i++) {
      expect((await openPage(guesser, `/r/${String(i).padStart(43, "x")}`)).res.status).toBe(404);
    }
    const blocked = await openPage(guesser, `/r/${"y".repeat(43)}`);
    expect(blocked.res.status).toBe(429);
    expect(Number(blocked.res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(expectPublicHeaders(blocked.res)).toEqual([]);
    // even a valid token, from that address, until the window passes
    expect((await openPage(guesser, pathOf(link.url))).res.status).toBe(429);
    expect((await openPage(t.client(), pathOf(link.url))).res.status).toBe(200);
  });
});

describe("over https", () => {
  it("marks the session cookie Secure", async () => {
    const https = await startTestApp({ baseUrl: "https://fluxo.test" });
    try {
      const admin = (await orgOwner(https, "Secure Org")).client;
      const review = await admin.mutate<{ id: string }>("reviews.request", { title: "Ship it?" });
      const link = await admin.mutate<Link>("reviews.createLink", { reviewId: review.id });
      expect(link.url.startsWith("https://fluxo.test/r/")).toBe(true);
      const { res } = await openPage(https.client(), pathOf(link.url));
      expect(res.status).toBe(200);
      expect(res.headers.get("set-cookie")).toMatch(/;\s*Secure/i);
    } finally {
      await https.close();
    }
  });
});
