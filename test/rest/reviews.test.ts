import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiScope } from "../../src/access/statements.ts";
import { createApiKey } from "../helpers/api-keys.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import type { TestClient } from "../helpers/client.ts";
import { dbRows } from "../helpers/orgs.ts";
import { addMember, orgOwner } from "../helpers/users.ts";
import { openPage, pathOf } from "../reviews/links-harness.ts";
import { type RestCaller, type RestError, restCaller } from "./harness.ts";

interface Summary {
  id: string;
  title: string;
  status: string;
  created_at: string;
}
interface Page {
  data: Summary[];
  next_cursor: string | null;
}
interface Link {
  id: string;
  url: string;
  expires_at: string;
  max_uses: number;
}

const ALL: ApiScope[] = ["reviews:read", "reviews:write", "reviews:approve"];

let t: TestApp;
let owner: TestClient;
let api: RestCaller;
let keyId: string;
let otherOrg: RestCaller;

beforeAll(async () => {
  t = await startTestApp();
  owner = (await orgOwner(t, "REST Org")).client;
  const key = await createApiKey(t, owner, { scopes: ALL, name: "Deployer" });
  keyId = key.id;
  api = restCaller(t, key.key);
  const ownerB = (await orgOwner(t, "Other Org")).client;
  otherOrg = restCaller(t, (await createApiKey(t, ownerB, { scopes: ALL })).key);
});
afterAll(() => t.close());

const createReview = async (title: string, extra: Record<string, unknown> = {}) => {
  const res = await api.post<{ id: string; status: string }>("/reviews", { title, ...extra });
  expect(res.status).toBe(201);
  return res.body.id;
};

const keyWith = async (scopes: ApiScope[]) =>
  restCaller(t, (await createApiKey(t, owner, { scopes })).key);

describe("scopes", () => {
  it("answers 403 naming the missing scope for each class of route", async () => {
    const reviewId = await createReview("Scoped");
    const link = (await api.post<Link>(`/reviews/${reviewId}/links`, {})).body;
    const webhooksOnly = await keyWith(["webhooks:read"]);
    const readOnly = await keyWith(["reviews:read"]);
    const cases: [() => Promise<{ status: number; body: unknown }>, ApiScope][] = [
      [() => webhooksOnly.get("/reviews"), "reviews:read"],
      [() => webhooksOnly.get(`/reviews/${reviewId}`), "reviews:read"],
      [() => webhooksOnly.get(`/reviews/${reviewId}/activity`), "reviews:read"],
      [() => readOnly.post("/reviews", { title: "x" }), "reviews:write"],
      [() => readOnly.post(`/reviews/${reviewId}/links`, {}), "reviews:write"],
      [() => readOnly.delete(`/reviews/${reviewId}/links/${link.id}`), "reviews:write"],
      [() => readOnly.post(`/reviews/${reviewId}/approve`, {}), "reviews:approve"],
      [() => readOnly.post(`/reviews/${reviewId}/reject`, {}), "reviews:approve"],
    ];
    for (const [call, scope] of cases) {
      const res = (await call()) as { status: number; body: RestError };
      expect(res.status, scope).toBe(403);
      expect(res.body.error.code).toBe("FORBIDDEN");
      expect(res.body.error.details?.missing_scope).toBe(scope);
      expect(res.body.error.message).toContain(scope);
    }
    // nothing happened: still pending, the link still open
    expect((await api.get<Summary>(`/reviews/${reviewId}`)).body.status).toBe("pending");
    expect((await openPage(t.client(), pathOf(link.url))).res.status).toBe(200);
  });

  it("lets each scope do exactly its part", async () => {
    const writer = await keyWith(["reviews:write"]);
    const approver = await keyWith(["reviews:approve"]);
    const created = await writer.post<{ id: string }>("/reviews", { title: "Split duties" });
    expect(created.status).toBe(201);
    expect((await writer.get(`/reviews/${created.body.id}`)).status).toBe(200);
    expect((await approver.post(`/reviews/${created.body.id}/approve`, {})).status).toBe(200);
  });
});

describe("another organization's objects", () => {
  it("are 404 for every route, and stay untouched", async () => {
    const reviewId = await createReview("Private to REST Org");
    const link = (await api.post<Link>(`/reviews/${reviewId}/links`, {})).body;
    const calls = [
      () => otherOrg.get(`/reviews/${reviewId}`),
      () => otherOrg.get(`/reviews/${reviewId}/activity`),
      () => otherOrg.post(`/reviews/${reviewId}/approve`, {}),
      () => otherOrg.post(`/reviews/${reviewId}/reject`, {}),
      () => otherOrg.post(`/reviews/${reviewId}/links`, {}),
      () => otherOrg.delete(`/reviews/${reviewId}/links/${link.id}`),
    ];
    for (const call of calls) {
      const res = (await call()) as { status: number; body: RestError };
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe("NOT_FOUND");
    }
    const listed = await otherOrg.get<Page>("/reviews?limit=200");
    expect(listed.body.data.map((r) => r.id)).not.toContain(reviewId);
    expect((await api.get<Summary>(`/reviews/${reviewId}`)).body.status).toBe("pending");
    expect((await openPage(t.client(), pathOf(link.url))).res.status).toBe(200);
  });

  it("a link is revoked only through its own review", async () => {
    const first = await createReview("First");
    const second = await createReview("Second");
    const link = (await api.post<Link>(`/reviews/${first}/links`, {})).body;
    expect((await api.delete(`/reviews/${second}/links/${link.id}`)).status).toBe(404);
    expect((await openPage(t.client(), pathOf(link.url))).res.status).toBe(200);
  });
});

describe("listing", () => {
  it("walks every page newest first, without duplicates or gaps", async () => {
    const created: string[] = [];
    for (let i = 0; i < 7; i++) created.push(await createReview(`Page item ${i}`));
    const everything = (await api.get<Page>("/reviews?limit=200")).body;
    expect(everything.next_cursor).toBeNull();

    const walked: Summary[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `?limit=2&cursor=${cursor}` : "?limit=2";
      const page: Page = (await api.get<Page>(`/reviews${query}`)).body;
      expect(page.data.length).toBeLessThanOrEqual(2);
      walked.push(...page.data);
      cursor = page.next_cursor;
      pages++;
    } while (cursor && pages < 100);

    const ids = walked.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(everything.data.map((r) => r.id));
    for (const id of created) expect(ids).toContain(id);
    const times = walked.map((r) => Date.parse(r.created_at));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    // the newest of ours comes before the oldest
    expect(ids.indexOf(created[6] as string)).toBeLessThan(ids.indexOf(created[0] as string));
  });

  it("filters by status", async () => {
    const approved = await createReview("To approve");
    const pending = await createReview("Left pending");
    await api.post(`/reviews/${approved}/approve`, {});
    const page = (await api.get<Page>("/reviews?status=approved&limit=200")).body;
    const ids = page.data.map((r) => r.id);
    expect(ids).toContain(approved);
    expect(ids).not.toContain(pending);
    expect(page.data.every((r) => r.status === "approved")).toBe(true);
  });

  it("refuses bad query parameters with a 400 naming the field", async () => {
    const forged = Buffer.from(JSON.stringify(["2024-02-31T00:00:00.000000Z", "x"])).toString(
      "base64url",
    );
    const cases: [string, string][] = [
      ["?limit=0", "limit"],
      ["?limit=201", "limit"],
      ["?limit=ten", "limit"],
      ["?status=maybe", "status"],
      ["?cursor=not-a-cursor", "cursor"],
      [`?cursor=${forged}`, "cursor"],
      [`?cursor=${Buffer.from("[1,2]").toString("base64url")}`, "cursor"],
    ];
    for (const [query, field] of cases) {
      const res = await api.get<RestError>(`/reviews${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error.code).toBe("BAD_REQUEST");
      expect(res.body.error.details?.field, query).toBe(field);
    }
  });
});

describe("creating", () => {
  it("creates a pending review with assignees, and refuses bad bodies naming the field", async () => {
    const reviewer = await addMember(t, owner, "REVIEWER");
    const created = await api.post<{ id: string; status: string; expires_at: string }>("/reviews", {
      title: "Release 1.2?",
      body: "Changelog …",
      payload: { version: "1.2" },
      expires_in_seconds: 3600,
      assignees: [reviewer.memberId],
    });
    expect(created.status).toBe(201);
    expect(created.body.status).toBe("pending");
    const expiresIn = Date.parse(created.body.expires_at) - Date.now();
    expect(expiresIn).toBeGreaterThan(3500_000);
    expect(expiresIn).toBeLessThanOrEqual(3600_000);
    const review = (
      await api.get<{ payload: unknown; body: string }>(`/reviews/${created.body.id}`)
    ).body;
    expect(review).toMatchObject({ body: "Changelog …", payload: { version: "1.2" } });
    // routed to the named reviewer, as in the app
    const inbox = (await reviewer.client.query<{ items: { id: string }[] }>("reviews.list")).items;
    expect(inbox.map((r) => r.id)).toContain(created.body.id);

    const bad: [unknown, string][] = [
      [{}, "title"],
      [{ title: "" }, "title"],
      [{ title: "x", expires_in_seconds: 10 }, "expires_in_seconds"],
      [{ title: "x", payload: [1] }, "payload"],
      [{ title: "x", assignees: ["no-such-member"] }, "assignees"],
      ["{not json", "body"],
    ];
    for (const [body, field] of bad) {
      const res = await api.post<RestError>("/reviews", body);
      expect(res.status, field).toBe(400);
      expect(res.body.error.details?.field, JSON.stringify(body)).toBe(field);
    }
    const asText = await api.client.fetch("/api/v1/reviews", {
      method: "POST",
      body: "title=x",
      headers: { authorization: `Bearer ${api.key}`, "content-type": "text/plain" },
    });
    expect(asText.status).toBe(415);
    expect(((await asText.json()) as RestError).error.details?.field).toBe("body");
  });

  it("answers the same Idempotency-Key and body with the same review, and a changed body with 409", async () => {
    const headers = { "idempotency-key": "order-1001" };
    const first = await api.post<{ id: string }>("/reviews", { title: "Refund 1001" }, headers);
    const again = await api.post<{ id: string }>("/reviews", { title: "Refund 1001" }, headers);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await reviewsTitled("Refund 1001")).toBe(1);

    const changed = await api.post<RestError>("/reviews", { title: "Refund 9999" }, headers);
    expect(changed.status).toBe(409);
    expect(changed.body.error.code).toBe("CONFLICT");
    expect(changed.body.error.details?.idempotency_key).toBe("order-1001");
    expect(await reviewsTitled("Refund 9999")).toBe(0);

    // keys are per API key: another key's "order-1001" is its own
    const other = await keyWith(["reviews:write"]);
    const theirs = await other.post<{ id: string }>("/reviews", { title: "Refund 1001" }, headers);
    expect(theirs.status).toBe(201);
    expect(theirs.body.id).not.toBe(first.body.id);

    const tooLong = await api.post<RestError>(
      "/reviews",
      { title: "x" },
      {
        "idempotency-key": "k".repeat(256),
      },
    );
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.details?.field).toBe("idempotency-key");
  });

  it("creates one review for concurrent requests with the same Idempotency-Key", async () => {
    const headers = { "idempotency-key": "concurrent-1" };
    const answers = await Promise.all(
      Array.from({ length: 6 }, () =>
        api.post<{ id: string }>("/reviews", { title: "Concurrent refund" }, headers),
      ),
    );
    for (const answer of answers) expect(answer.status).toBe(201);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(await reviewsTitled("Concurrent refund")).toBe(1);
  });
});

describe("deciding", () => {
  it("approves once; a second decision is a 409 carrying the recorded one; audited as the key", async () => {
    const reviewId = await createReview("Ship it?");
    const approved = await api.post<{ id: string; status: string }>(
      `/reviews/${reviewId}/approve`,
      { comment: "LGTM" },
    );
    expect(approved.status).toBe(200);
    expect(approved.body).toEqual({ id: reviewId, status: "approved" });

    for (const verb of ["approve", "reject"]) {
      const second = await api.post<RestError>(`/reviews/${reviewId}/${verb}`, {});
      expect(second.status).toBe(409);
      expect(second.body.error.details).toMatchObject({
        status: "approved",
        decision: { channel: "api", comment: "LGTM", by: expect.stringContaining("Deployer") },
      });
    }
    const activity = (
      await api.get<{ data: { kind: string; channel: string; actor_label: string }[] }>(
        `/reviews/${reviewId}/activity`,
      )
    ).body.data;
    expect(activity.map((a) => a.kind)).toEqual(["created", "approved"]);
    for (const entry of activity) {
      expect(entry.channel).toBe("api");
      expect(entry.actor_label).toMatch(/^Deployer \(flx_/);
    }
    const audit = await auditOf(reviewId);
    expect(audit.map((a) => a.action)).toEqual(["review.created", "review.approved"]);
    for (const row of audit) {
      expect(row).toMatchObject({ actor_kind: "apiKey", actor_id: keyId, ip: api.client.ip });
    }
  });

  it("rejects with a comment, and refuses a review that has expired", async () => {
    const rejected = await createReview("Delete prod?");
    const res = await api.post<{ status: string }>(`/reviews/${rejected}/reject`, {
      comment: "no",
    });
    expect(res.body.status).toBe("rejected");

    const late = await createReview("Too late", { expires_in_seconds: 60 });
    await dbRows(
      t,
      sql`update review_request set expires_at = now() - interval '1 second' where id = ${late}`,
    );
    const refused = await api.post<RestError>(`/reviews/${late}/approve`, {});
    expect(refused.status).toBe(409);
    expect(refused.body.error.details).toMatchObject({ status: "expired", decision: null });

    const tooLong = await api.post<RestError>(`/reviews/${rejected}/approve`, {
      comment: "x".repeat(2001),
    });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.details?.field).toBe("comment");
  });
});

describe("links", () => {
  it("creates a working public link shown once, audited as the key, and revokes it", async () => {
    const reviewId = await createReview("Approve the invoice?");
    const created = await api.post<Link>(`/reviews/${reviewId}/links`, {
      max_uses: 2,
      expires_in_seconds: 600,
    });
    expect(created.status).toBe(201);
    expect(created.body.max_uses).toBe(2);
    expect(created.body.url).toMatch(new RegExp(`^${t.deps.config.baseUrl}/r/[\\w-]{43}$`));
    const page = await openPage(t.client(), pathOf(created.body.url));
    expect(page.res.status).toBe(200);
    expect(page.body).toContain("Approve the invoice?");

    const listed = await dbRows<{ created_by: string | null }>(
      t,
      sql`select created_by from review_link where id = ${created.body.id}`,
    );
    expect(listed[0]?.created_by).toBeNull();
    const audit = await auditOf(reviewId);
    expect(audit.find((a) => a.action === "review.link_created")).toMatchObject({
      actor_kind: "apiKey",
      actor_id: keyId,
    });

    const revoked = await api.delete(`/reviews/${reviewId}/links/${created.body.id}`);
    expect(revoked.status).toBe(204);
    expect((await openPage(t.client(), pathOf(created.body.url))).res.status).toBe(410);
    // revoking twice is harmless; an unknown link is 404
    expect((await api.delete(`/reviews/${reviewId}/links/${created.body.id}`)).status).toBe(204);
    expect((await api.delete(`/reviews/${reviewId}/links/nope`)).status).toBe(404);

    const bad = await api.post<RestError>(`/reviews/${reviewId}/links`, { max_uses: 0 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details?.field).toBe("max_uses");
  });
});

describe("end to end", () => {
  it("a key created in the app drives list → create → link → approve", async () => {
    const { client: boss } = await orgOwner(t, "Curl Org");
    const { key } = await createApiKey(t, boss, { scopes: ALL, name: "curl" });
    const curl = restCaller(t, key);
    expect((await curl.get<Page>("/reviews")).body).toEqual({ data: [], next_cursor: null });
    const created = await curl.post<{ id: string }>("/reviews", { title: "Go live?" });
    const link = await curl.post<Link>(`/reviews/${created.body.id}/links`, {});
    expect(link.status).toBe(201);
    expect((await curl.post(`/reviews/${created.body.id}/approve`, {})).status).toBe(200);
    const listed = (await curl.get<Page>("/reviews")).body.data;
    expect(listed).toEqual([expect.objectContaining({ id: created.body.id, status: "approved" })]);
    // the app sees the decision the key made
    const inApp = await boss.query<{ decision: { channel: string; by: string } }>("reviews.get", {
      reviewId: created.body.id,
    });
    expect(inApp.decision).toMatchObject({ channel: "api", by: expect.stringMatching(/^curl /) });
  });
});

const reviewsTitled = async (title: string) =>
  Number(
    (
      await dbRows<{ n: number }>(
        t,
        sql`select count(*)::int as n from review_request where title = ${title}`,
      )
    )[0]?.n,
  );

const auditOf = (reviewId: string) =>
  dbRows<{ action: string; actor_kind: string; actor_id: string; ip: string }>(
    t,
    sql`select action, actor_kind, actor_id, ip from audit_event where target_id = ${reviewId} order by created_at`,
  );
