import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEngineWorkers } from "../../src/modules/workflows/engine/worker.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import type { TestClient } from "../helpers/client.ts";
import { auditEvents, dbRows, sha256Hex } from "../helpers/orgs.ts";
import { orgOwner } from "../helpers/users.ts";
import { stepOf, waitForExecution } from "../workflows/harness.ts";
import {
  activityOf,
  BROWSER,
  expectPublicHeaders,
  openPage,
  pathOf,
  pausedReview,
  quickActions,
  reviewRow,
  submit,
} from "./links-harness.ts";

let t: TestApp;
let owner: TestClient;
const RECIPIENT = "Ada Lovelace <ada@example.com>";

beforeAll(async () => {
  t = await startTestApp();
  await startEngineWorkers(t.deps.engine, t.deps.queue);
  owner = (await orgOwner(t, "Quick Org")).client;
});
afterAll(() => t.close());

const usedAt = async (token: string) => {
  const [row] = await dbRows<{ used_at: unknown }>(
    t,
    sql`select used_at from review_quick_action where token_hash = ${sha256Hex(token)}`,
  );
  return row?.used_at;
};

describe("quick actions", () => {
  it("are stored only hashed", async () => {
    const review = await pausedReview(t, owner);
    const urls = await quickActions(t, review, RECIPIENT);
    const rows = JSON.stringify(
      await dbRows(t, sql`select * from review_quick_action where review_id = ${review.reviewId}`),
    );
    for (const url of Object.values(urls)) {
      const token = pathOf(url).split("/")[2] as string;
      expect(rows).not.toContain(token);
      expect(rows).toContain(sha256Hex(token));
    }
  });

  it("GET only shows a confirmation page; POST approves and the execution resumes", async () => {
    const review = await pausedReview(t, owner);
    const { approved } = await quickActions(t, review, RECIPIENT);
    const path = pathOf(approved);
    const token = path.split("/")[2] as string;
    const visitor = t.client();
    // e-mail scanners follow links: any number of GETs decide nothing
    let form = await openPage(visitor, path);
    for (let i = 0; i < 3; i++) form = await openPage(visitor, path);
    expect(form.res.status).toBe(200);
    expect(expectPublicHeaders(form.res)).toEqual([]);
    expect(form.body).toContain("Refund 40 EUR?");
    expect(form.body).toContain("Ada Lovelace &lt;ada@example.com&gt;");
    expect(form.body.match(/<button/g)).toHaveLength(1);
    expect(form.body).toContain(">Approve</button>");
    expect((await reviewRow(t, review.reviewId))?.status).toBe("pending");
    expect(await usedAt(token)).toBeNull();
    expect((await waitForExecution(owner, review.executionId, ["waiting"])).status).toBe("waiting");

    const done = await submit(visitor, path, { csrf: form.csrf, comment: "go" });
    expect(done.res.status).toBe(200);
    expect(expectPublicHeaders(done.res)).toEqual([]);
    const execution = await waitForExecution(owner, review.executionId);
    expect(stepOf(execution, "yes")?.status).toBe("succeeded");
    expect(stepOf(execution, "no")?.status).toBe("skipped");
    expect(await reviewRow(t, review.reviewId)).toMatchObject({
      status: "approved",
      decision_channel: "quick_action",
      decided_by_label: RECIPIENT,
    });
    expect(await usedAt(token)).not.toBeNull();

    const activity = await activityOf(t, review.reviewId);
    const viewed = activity.filter((a) => a.kind === "viewed");
    expect(viewed).toHaveLength(4);
    expect(viewed[0]).toMatchObject({
      channel: "quick_action",
      actor_label: RECIPIENT,
      ip: visitor.ip,
      user_agent: BROWSER,
    });
    expect(activity.find((a) => a.kind === "approved")).toMatchObject({
      channel: "quick_action",
      actor_label: RECIPIENT,
      ip: visitor.ip,
      user_agent: BROWSER,
      detail: { comment: "go" },
    });
    expect(activity.find((a) => a.kind === "submitted")?.detail.session).toBe(
      viewed[3]?.detail.session,
    );
    expect(
      (await auditEvents(owner)).some(
        (e) => e.action === "review.approved" && e.actorKind === "reviewLink",
      ),
    ).toBe(true);

    // single use: a second POST in the same session, and any later GET
    const again = await submit(visitor, path, { csrf: form.csrf });
    expect(again.res.status).toBe(409);
    expect((await openPage(t.client(), path)).res.status).toBe(410);
  });

  it("a reject quick action takes the rejected branch", async () => {
    const review = await pausedReview(t, owner);
    const { rejected } = await quickActions(t, review, RECIPIENT);
    const visitor = t.client();
    const form = await openPage(visitor, pathOf(rejected));
    expect(form.body).toContain(">Reject</button>");
    expect((await submit(visitor, pathOf(rejected), { csrf: form.csrf })).res.status).toBe(200);
    const execution = await waitForExecution(owner, review.executionId);
    expect(stepOf(execution, "no")?.status).toBe("succeeded");
    expect(stepOf(execution, "yes")?.status).toBe("skipped");
    expect((await reviewRow(t, review.reviewId))?.status).toBe("rejected");
  });

  it("refuses a POST without its session's CSRF token", async () => {
    const review = await pausedReview(t, owner);
    const { approved } = await quickActions(t, review, RECIPIENT);
    const path = pathOf(approved);
    const visitor = t.client();
    const other = t.client();
    const mine = await openPage(visitor, path);
    const theirs = await openPage(other, path);
    expect((await submit(visitor, path, {})).res.status).toBe(403);
    expect((await submit(visitor, path, { csrf: theirs.csrf })).res.status).toBe(403);
    expect((await submit(t.client(), path, { csrf: mine.csrf })).res.status).toBe(403);
    expect((await reviewRow(t, review.reviewId))?.status).toBe("pending");
    expect(await usedAt(path.split("/")[2] as string)).toBeNull();
  });

  it("unknown, expired and used tokens get the same page", async () => {
    const review = await pausedReview(t, owner);
    const first = await quickActions(t, review, RECIPIENT);
    const second = await quickActions(t, review, "Bob <bob@example.com>");
    const expiredToken = pathOf(first.rejected).split("/")[2] as string;
    await t.deps.database.db.execute(
      sql`update review_quick_action set expires_at = now() - interval '1 second' where token_hash = ${sha256Hex(expiredToken)}`,
    );
    const visitor = t.client();
    const form = await openPage(visitor, pathOf(first.approved));
    expect((await submit(visitor, pathOf(first.approved), { csrf: form.csrf })).res.status).toBe(
      200,
    );

    const unknown = await openPage(t.client(), `/q/${"B".repeat(43)}`);
    expect(unknown.res.status).toBe(404);
    expect(expectPublicHeaders(unknown.res)).toEqual([]);
    const expired = await openPage(t.client(), pathOf(first.rejected));
    const used = await openPage(t.client(), pathOf(first.approved));
    // unused, but its review is decided
    const decided = await openPage(t.client(), pathOf(second.rejected));
    for (const page of [expired, used, decided]) {
      expect(page.res.status).toBe(410);
      expect(page.body).toBe(unknown.body);
      expect(expectPublicHeaders(page.res)).toEqual([]);
    }
  });

  it("are bound to their own review: org A's token decides nothing in org B", async () => {
    const reviewA = await pausedReview(t, owner);
    const ownerB = (await orgOwner(t, "Quick Org B")).client;
    const reviewB = await pausedReview(t, ownerB);
    const a = await quickActions(t, reviewA, RECIPIENT);
    const b = await quickActions(t, reviewB, RECIPIENT);
    const visitor = t.client();
    const form = await openPage(visitor, pathOf(a.approved));
    const cookie = `fluxo_review=${visitor.cookies.get("fluxo_review")}`;
    const cross = await visitor.fetch(pathOf(b.approved), {
      method: "POST",
      body: new URLSearchParams({ csrf: form.csrf as string }),
      headers: { cookie },
    });
    expect(cross.status).toBe(403);
    expect((await submit(visitor, pathOf(a.approved), { csrf: form.csrf })).res.status).toBe(200);
    expect((await reviewRow(t, reviewA.reviewId))?.status).toBe("approved");
    expect((await reviewRow(t, reviewB.reviewId))?.status).toBe("pending");
  });

  it("throttles unknown tokens per address", async () => {
    const guesser = t.client();
    for (let i = 0; i < 10; i++) {
      expect((await guesser.fetch(`/q/${String(i).padStart(43, "z")}`)).status).toBe(404);
    }
    const blocked = await guesser.fetch(`/q/${"w".repeat(43)}`, { method: "POST" });
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get("retry-after")).toBeTruthy();
  });
});
