import { sql } from "drizzle-orm";
import { withTenant } from "../../src/db/tenant.ts";
import { issueQuickActions } from "../../src/modules/reviews/tokens.ts";
import type { TestApp } from "../helpers/app.ts";
import type { TestClient } from "../helpers/client.ts";
import { dbRows } from "../helpers/orgs.ts";
import { waitForExecution, workflowWith } from "../workflows/harness.ts";

/** Shared by the public link and quick action tests: a workflow paused on a review node. */
export const reviewFlow = {
  nodes: [
    { id: "start", type: "manual_trigger" },
    {
      id: "ask",
      type: "review",
      parameters: {
        title: "Refund {{ trigger.amount }} EUR?",
        body: "Customer {{ trigger.who }}",
        payload: "{{ trigger }}",
      },
    },
    { id: "yes", type: "transform", parameters: { fields: { by: "{{ nodes.ask.by }}" } } },
    { id: "no", type: "transform", parameters: { fields: { paid: false } } },
  ],
  edges: [
    { from: "start", to: "ask" },
    { from: "ask", to: "yes", port: "approved" },
    { from: "ask", to: "no", port: "rejected" },
  ],
};

export interface PausedReview {
  reviewId: string;
  executionId: string;
  orgId: string;
  expiresAt: Date;
}

/** Runs the flow and waits until the review node has paused it. */
export async function pausedReview(
  t: TestApp,
  owner: TestClient,
  payload: Record<string, unknown> = { amount: 40, who: "Ada" },
): Promise<PausedReview> {
  const wf = await workflowWith(owner, reviewFlow);
  const { executionId } = await owner.mutate<{ executionId: string }>("workflows.run", {
    workflowId: wf.id,
    payload,
  });
  await waitForExecution(owner, executionId, ["waiting"]);
  const [row] = await dbRows<{ id: string; org: string; expires_at: string | Date }>(
    t,
    sql`select id, organization_id as org, expires_at from review_request where execution_id = ${executionId}`,
  );
  if (!row) throw new Error("no review for the execution");
  return { reviewId: row.id, executionId, orgId: row.org, expiresAt: new Date(row.expires_at) };
}

export const pathOf = (url: string) => new URL(url).pathname;

export const BROWSER = "Mozilla/5.0 (Fluxo test browser)";

/** GETs a public page as a browser would; returns the page and the CSRF token in its form. */
export async function openPage(client: TestClient, path: string) {
  const res = await client.fetch(path, { headers: { "user-agent": BROWSER } });
  const body = await res.text();
  const csrf = /name="csrf" value="([^"]+)"/.exec(body)?.[1];
  return { res, body, csrf };
}

/** POSTs the page's form (url-encoded, like a browser). */
export async function submit(
  client: TestClient,
  path: string,
  fields: Record<string, string | undefined>,
) {
  const form = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) form.set(k, v);
  const res = await client.fetch(path, {
    method: "POST",
    body: form,
    headers: { "user-agent": BROWSER },
  });
  return { res, body: await res.text() };
}

export async function reviewRow(t: TestApp, reviewId: string) {
  const [row] = await dbRows<{
    status: string;
    decision_channel: string | null;
    decided_by_label: string | null;
  }>(
    t,
    sql`select status, decision_channel, decided_by_label from review_request where id = ${reviewId}`,
  );
  return row;
}

export interface ActivityRow {
  kind: string;
  channel: string;
  actor_label: string | null;
  link_id: string | null;
  ip: string | null;
  user_agent: string | null;
  detail: Record<string, unknown>;
}

export const activityOf = (t: TestApp, reviewId: string) =>
  dbRows<ActivityRow>(
    t,
    sql`select kind, channel, actor_label, link_id, ip, user_agent, detail from review_activity where review_id = ${reviewId} order by created_at`,
  );

/** Approve and reject quick-action URLs for `recipient`, issued as the review node would. */
export function quickActions(t: TestApp, review: PausedReview, recipient: string) {
  return withTenant(t.deps.database.db, review.orgId, (tx) =>
    issueQuickActions(
      tx,
      {
        orgId: review.orgId,
        reviewId: review.reviewId,
        reviewExpiresAt: review.expiresAt,
        baseUrl: t.deps.config.baseUrl,
      },
      recipient,
    ),
  );
}

export const PUBLIC_HEADERS = {
  "cache-control": "no-store",
  "referrer-policy": "no-referrer",
  "x-robots-tag": "noindex",
};

export function expectPublicHeaders(res: Response) {
  const missing = Object.entries(PUBLIC_HEADERS).filter(([k, v]) => res.headers.get(k) !== v);
  const csp = res.headers.get("content-security-policy") ?? "";
  for (const directive of ["default-src 'none'", "form-action 'self'", "frame-ancestors 'none'"]) {
    if (!csp.includes(directive)) missing.push(["content-security-policy", directive]);
  }
  if (/script-src|unsafe-inline/.test(csp)) missing.push(["content-security-policy", csp]);
  return missing;
}
