import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MemberContext } from "../../src/access/context.ts";
import { raiseReview } from "../../src/modules/workflows/engine/raise-review.ts";
import { startEngineWorkers } from "../../src/modules/workflows/engine/worker.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import type { TestClient } from "../helpers/client.ts";
import { dbRows } from "../helpers/orgs.ts";
import { addMember, orgOwner } from "../helpers/users.ts";
import { createEndpoint } from "../webhooks/endpoints-harness.ts";
import { stepOf, waitForExecution, workflowWith } from "../workflows/harness.ts";

let t: TestApp;
let owner: TestClient;
let orgId: string;
let reviewer: { memberId: string; email: string };

beforeAll(async () => {
  t = await startTestApp();
  await startEngineWorkers(t.deps.engine, t.deps.queue);
  ({ client: owner, orgId } = await orgOwner(t, "Review Failures Org"));
  reviewer = await addMember(t, owner, "REVIEWER");
});
afterAll(() => t.close());

const reviewFlow = (parameters: Record<string, unknown>, credentialId?: string) => ({
  nodes: [
    { id: "start", type: "manual_trigger" },
    {
      id: "ask",
      type: "review",
      parameters: { title: "Pay?", ...parameters },
      ...(credentialId && { credentialId }),
    },
  ],
  edges: [{ from: "start", to: "ask" }],
});

async function saveRefused(definition: unknown) {
  const { id } = await owner.mutate<{ id: string }>("workflows.create", { name: "w" });
  const refused = await owner.trpcError("mutate", "workflows.saveDefinition", {
    workflowId: id,
    definition,
  });
  expect(refused.status).toBe(400);
  return refused.error.message;
}

describe("a review node's recipients are checked when it is saved", () => {
  it("e-mail addresses must be addresses", async () => {
    const message = await saveRefused(
      reviewFlow({ notify: { channel: "email", to: ["not an address"] } }),
    );
    expect(message).toContain("parameters.notify.to[0]");
  });

  it("without an smtp credential, e-mail goes only to members of the organization", async () => {
    const message = await saveRefused(
      reviewFlow({ notify: { channel: "email", to: [reviewer.email, "outsider@example.org"] } }),
    );
    expect(message).toContain("parameters.notify.to");
    expect(message).toContain("outsider@example.org");
  });

  it("assignees must be members of the organization", async () => {
    const message = await saveRefused(reviewFlow({ assignees: ["no-such-member"] }));
    expect(message).toContain("parameters.assignees");
    expect(message).toContain("no-such-member");
  });

  it("Slack needs a slack_webhook credential, e-mail an smtp one (or none)", async () => {
    expect(await saveRefused(reviewFlow({ notify: { channel: "slack" } }))).toContain(
      "slack_webhook",
    );
    const smtp = await owner.mutate<{ id: string }>("credentials.create", {
      name: "mail",
      type: "smtp",
      settings: { host: "127.0.0.1", port: 2525, secure: false, user: "u", from: "a@example.com" },
      secret: { password: "p" },
    });
    expect(await saveRefused(reviewFlow({ notify: { channel: "slack" } }, smtp.id))).toContain(
      "slack_webhook",
    );
    // with the organization's own smtp credential, anyone may be mailed
    await workflowWith(
      owner,
      reviewFlow({ notify: { channel: "email", to: ["outsider@example.org"] } }, smtp.id),
    );
  });
});

it("a review node whose notification fails leaves no review, link, quick action or event behind", async () => {
  const endpoint = await createEndpoint(owner, { eventTypes: ["review.created"] });
  const leaving = await addMember(t, owner, "REVIEWER");
  const wf = await workflowWith(
    owner,
    reviewFlow({
      publicLink: true,
      notify: { channel: "email", to: [reviewer.email, leaving.email] },
    }),
  );
  // the second recipient leaves after the save: the first mail goes out, the second is refused
  await owner.mutate("members.remove", { memberId: leaving.memberId });
  const { executionId } = await owner.mutate<{ executionId: string }>("workflows.run", {
    workflowId: wf.id,
  });
  const done = await waitForExecution(owner, executionId);
  expect(done.status).toBe("failed");
  expect(stepOf(done, "ask")).toMatchObject({ status: "failed" });
  expect(stepOf(done, "ask")?.error).toContain("only to members");

  const count = async (query: ReturnType<typeof sql>) =>
    Number((await dbRows<{ n: number }>(t, query))[0]?.n);
  expect(
    await count(
      sql`select count(*)::int as n from review_request where organization_id = ${orgId}`,
    ),
  ).toBe(0);
  expect(
    await count(sql`select count(*)::int as n from review_link where organization_id = ${orgId}`),
  ).toBe(0);
  expect(
    await count(
      sql`select count(*)::int as n from review_quick_action where organization_id = ${orgId}`,
    ),
  ).toBe(0);
  expect(
    await count(
      sql`select count(*)::int as n from webhook_delivery where endpoint_id = ${endpoint.id}`,
    ),
  ).toBe(0);
  expect(
    await count(
      sql`select count(*)::int as n from pgboss.job where name = 'webhook.deliver' and data->>'orgId' = ${orgId}`,
    ),
  ).toBe(0);
  expect(
    await count(
      sql`select count(*)::int as n from audit_event where organization_id = ${orgId} and action = 'review.created'`,
    ),
  ).toBe(0);
});

it("a review node that times out while notifying stores nothing, even when the sending then completes", async () => {
  const [owned] = await dbRows<{ id: string; user_id: string }>(
    t,
    sql`select id, user_id from member where organization_id = ${orgId} and role = 'OWNER'`,
  );
  const ctx = {
    db: t.deps.database.db,
    meta: { requestId: "test", ip: undefined, userAgent: undefined },
    orgId,
    userId: owned?.user_id,
    memberId: owned?.id,
    role: "OWNER",
    actor: { kind: "system", reason: "test" },
  } as MemberContext;
  const timeout = new AbortController();
  const source = { workflowId: "wf", executionId: "late-execution", nodeId: "ask" };
  const request = {
    title: "Late?",
    body: "",
    payload: {},
    assignees: [],
    anyReviewer: true,
    expiresInSeconds: 600,
    publicLink: true,
    quickActionsFor: [reviewer.email],
  };
  // the node's timeout fires while the notification is on its way; the send still succeeds
  const raised = raiseReview(
    t.deps.engine,
    ctx,
    source,
    request,
    async () => timeout.abort(),
    timeout.signal,
  );
  await expect(raised).rejects.toThrow();
  const rows = await dbRows(
    t,
    sql`select id from review_request where execution_id = ${source.executionId}`,
  );
  expect(rows).toEqual([]);
});
