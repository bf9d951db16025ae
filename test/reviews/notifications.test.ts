import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startEngineWorkers } from "../../src/modules/workflows/engine/worker.ts";
import { REVIEW_MAIL_SUBJECT } from "../../src/modules/workflows/nodes/review-notify.ts";
import { startTestApp, TEST_BASE_URL, type TestApp } from "../helpers/app.ts";
import type { TestClient } from "../helpers/client.ts";
import { dbRows } from "../helpers/orgs.ts";
import { addMember, orgOwner } from "../helpers/users.ts";
import { waitForExecution, workflowWith } from "../workflows/harness.ts";
import { openPage, pathOf, submit } from "./links-harness.ts";

let t: TestApp;
let owner: TestClient;
let reviewerEmail: string;

beforeAll(async () => {
  t = await startTestApp();
  await startEngineWorkers(t.deps.engine, t.deps.queue);
  owner = (await orgOwner(t, "Notify Org")).client;
  reviewerEmail = (await addMember(t, owner, "REVIEWER")).email;
});
afterAll(() => t.close());

it("e-mails each recipient the review link and their own single-use approve/reject links, stored only hashed", async () => {
  const wf = await workflowWith(owner, {
    nodes: [
      { id: "start", type: "manual_trigger" },
      {
        id: "ask",
        type: "review",
        parameters: {
          title: "Ship release {{ trigger.v }}?",
          publicLink: true,
          notify: { channel: "email", to: [reviewerEmail] },
        },
      },
    ],
    edges: [{ from: "start", to: "ask" }],
  });
  const { executionId } = await owner.mutate<{ executionId: string }>("workflows.run", {
    workflowId: wf.id,
    payload: { v: "1.2" },
  });
  await waitForExecution(owner, executionId, ["waiting"]);

  const mail = await t.smtp.lastTo(reviewerEmail);
  expect(mail.subject).toBe(REVIEW_MAIL_SUBJECT);
  expect(mail.text.split("\n")[0]).toBe('Review requested: "Ship release 1.2?"');
  const links = [...mail.text.matchAll(/https?:\/\/\S+/g)].map((m) => m[0]);
  const review = links.find((l) => l.startsWith(`${TEST_BASE_URL}/r/`));
  const quick = links.filter((l) => l.startsWith(`${TEST_BASE_URL}/q/`));
  expect(review).toBeDefined();
  expect(quick).toHaveLength(2);

  const sha = (url: string) =>
    createHash("sha256")
      .update(url.split("/").pop() as string)
      .digest("hex");
  const stored = await dbRows<{ token_hash: string }>(
    t,
    sql`select token_hash from review_link union all select token_hash from review_quick_action`,
  );
  const hashes = stored.map((r) => r.token_hash);
  for (const url of [review as string, ...quick]) {
    expect(hashes).toContain(sha(url));
    expect(JSON.stringify(stored)).not.toContain(url.split("/").pop());
  }

  // the recipient follows the mailed approve link: a confirmation page, then one click
  const approve = quick.find((url) => mail.text.includes(`Approve: ${url}`)) as string;
  const browser = t.client();
  const page = await openPage(browser, pathOf(approve));
  expect(page.res.status).toBe(200);
  expect((await waitForExecution(owner, executionId, ["waiting"])).status).toBe("waiting"); // GET decided nothing
  const posted = await submit(browser, pathOf(approve), { csrf: page.csrf });
  expect(posted.res.status).toBe(200);
  const done = await waitForExecution(owner, executionId);
  expect(done.status).toBe("succeeded");
  const { items: reviews } = await owner.query<{
    items: { executionId: string; status: string }[];
  }>("reviews.list");
  expect(reviews.find((r) => r.executionId === executionId)?.status).toBe("approved");
});

it("keeps the title, which a trigger's sender may choose, out of the subject; the body quotes it on its own line", async () => {
  const wf = await workflowWith(owner, {
    nodes: [
      { id: "start", type: "webhook_trigger" },
      {
        id: "ask",
        type: "review",
        parameters: {
          title: "{{ trigger.body.title }}",
          notify: { channel: "email", to: [reviewerEmail] },
        },
      },
    ],
    edges: [{ from: "start", to: "ask" }],
  });
  const title = 'Your account is locked\r\nBcc: all@example.com\u202e "call us"';
  const res = await t.client().post(`/hooks/${wf.id}/${wf.webhookSecret}`, { title });
  expect(res.status).toBe(202);
  const { executionId } = (await res.json()) as { executionId: string };
  await waitForExecution(owner, executionId, ["waiting"]);

  const mail = await t.smtp.lastTo(reviewerEmail);
  expect(mail.subject).toBe(REVIEW_MAIL_SUBJECT);
  expect(mail.text.split("\n")[0]).toBe(
    "Review requested: \"Your account is locked Bcc: all@example.com 'call us'\"",
  );
  expect(mail.to).toEqual([reviewerEmail]);
});

it("refuses to e-mail people outside the organization without an smtp credential", async () => {
  const { id } = await owner.mutate<{ id: string }>("workflows.create", { name: "outsiders" });
  const refused = await owner.trpcError("mutate", "workflows.saveDefinition", {
    workflowId: id,
    definition: {
      nodes: [
        { id: "start", type: "manual_trigger" },
        {
          id: "ask",
          type: "review",
          parameters: { title: "x", notify: { channel: "email", to: ["outsider@example.org"] } },
        },
      ],
      edges: [{ from: "start", to: "ask" }],
    },
  });
  expect(refused.status).toBe(400);
  expect(refused.error.message).toContain("only to members");
});
