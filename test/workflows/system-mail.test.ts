import { afterAll, beforeAll, expect, it } from "vitest";
import { startEngineWorkers } from "../../src/modules/workflows/engine/worker.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import type { TestClient } from "../helpers/client.ts";
import { addMember, orgOwner } from "../helpers/users.ts";
import { stepOf, waitForExecution, workflowWith } from "./harness.ts";

let t: TestApp;
let owner: TestClient;
let memberEmail: string;

beforeAll(async () => {
  t = await startTestApp();
  await startEngineWorkers(t.deps.engine, t.deps.queue);
  owner = (await orgOwner(t, "Mail Org")).client;
  memberEmail = (await addMember(t, owner, "PARTICIPANT")).email;
});
afterAll(() => t.close());

const mailTo = (to: string) => ({
  nodes: [
    { id: "start", type: "manual_trigger" },
    {
      id: "mail",
      type: "send_email",
      parameters: { to, subject: "Report {{ trigger.n }}", text: "Done." },
    },
  ],
  edges: [{ from: "start", to: "mail" }],
});

it("the instance mailer delivers to organization members (through the real SMTP peer)", async () => {
  const wf = await workflowWith(owner, mailTo(memberEmail));
  const { executionId } = await owner.mutate<{ executionId: string }>("workflows.run", {
    workflowId: wf.id,
    payload: { n: 7 },
  });
  expect((await waitForExecution(owner, executionId)).status).toBe("succeeded");
  expect((await t.smtp.lastTo(memberEmail)).subject).toBe("Report 7");
});

it("without an smtp credential, nobody outside the organization can be mailed", async () => {
  const wf = await workflowWith(owner, mailTo("victim@example.org"));
  const { executionId } = await owner.mutate<{ executionId: string }>("workflows.run", {
    workflowId: wf.id,
  });
  const done = await waitForExecution(owner, executionId);
  expect(done.status).toBe("failed");
  expect(stepOf(done, "mail")?.error).toContain("only to members");
  expect(t.smtp.messages.some((m) => m.to.includes("victim@example.org"))).toBe(false);
});
