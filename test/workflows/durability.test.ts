import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEngineWorkers } from "../../src/modules/workflows/engine/worker.ts";
import { parseAllowlist } from "../../src/net/allowlist.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import type { TestClient } from "../helpers/client.ts";
import { addMember, orgOwner } from "../helpers/users.ts";
import { startSink, stepOf, waitForExecution, workflowWith } from "./harness.ts";

let t: TestApp;
let owner: TestClient;
let orgId: string;
let sink: Awaited<ReturnType<typeof startSink>>;

beforeAll(async () => {
  t = await startTestApp({ outboundAllow: parseAllowlist("127.0.0.1:*") });
  ({ client: owner, orgId } = await orgOwner(t, "Durable Org"));
  sink = await startSink();
});
afterAll(async () => {
  await sink.close();
  await t.close();
});

const exec = (query: ReturnType<typeof sql>) => t.deps.database.db.execute(query);
const hits = (path: string) => sink.requests.filter((r) => r.url === path).length;

describe("an execution interrupted by a crash", () => {
  const flow = (attempts: number) => ({
    nodes: [
      { id: "start", type: "manual_trigger" },
      { id: "a", type: "http_request", parameters: { url: `${sink.url}/a-${attempts}` } },
      {
        id: "b",
        type: "http_request",
        parameters: { url: `${sink.url}/b-${attempts}` },
        retry: { attempts, backoffMs: 0 },
      },
    ],
    edges: [
      { from: "start", to: "a" },
      { from: "a", to: "b" },
    ],
  });

  /** The state a worker killed while node b was in flight leaves behind. */
  async function crashedExecution(attempts: number) {
    const wf = await workflowWith(owner, flow(attempts));
    const { executionId } = await owner.mutate<{ executionId: string }>("workflows.run", {
      workflowId: wf.id,
    });
    const step = (node: string, status: string) =>
      exec(sql`insert into execution_step (id, organization_id, execution_id, node_id, status, attempt, output, port)
               values (${`${executionId}-${node}`}, ${orgId}, ${executionId}, ${node}, ${status}, 1, '{"status":200}', 'main')`);
    await step("start", "succeeded");
    await step("a", "succeeded");
    await step("b", "running");
    await exec(
      sql`update execution set status = 'running', started_at = now() - interval '5 seconds',
                 lease_until = now() - interval '1 second' where id = ${executionId}`,
    );
    return executionId;
  }

  it("resumes without re-running finished nodes; the in-flight node is retried per its policy", async () => {
    const resumable = await crashedExecution(2);
    const exhausted = await crashedExecution(1);
    await startEngineWorkers(t.deps.engine, t.deps.queue); // the restarted process

    const done = await waitForExecution(owner, resumable);
    expect(done.status).toBe("succeeded");
    expect(hits("/a-2")).toBe(0); // finished before the crash: not run again
    expect(hits("/b-2")).toBe(1);
    expect(stepOf(done, "b")?.attempt).toBe(2);

    const failed = await waitForExecution(owner, exhausted);
    expect(failed.status).toBe("failed");
    expect(stepOf(failed, "b")?.error).toContain("no attempts are left");
    expect(hits("/b-1")).toBe(0);
  });
});

describe("credentials are re-checked when the execution runs", () => {
  const withCredential = (credentialId: string) => ({
    nodes: [
      { id: "start", type: "manual_trigger" },
      { id: "call", type: "http_request", credentialId, parameters: { url: `${sink.url}/secure` } },
    ],
    edges: [{ from: "start", to: "call" }],
  });

  it("fails safely when the author lost the grant after saving", async () => {
    const participant = await addMember(t, owner, "PARTICIPANT");
    const credential = await owner.mutate<{ id: string }>("credentials.create", {
      name: "shared token",
      type: "http_bearer",
      secret: { token: "granted-token-1" },
    });
    await owner.mutate("sharing.grant", {
      assetType: "credential",
      assetId: credential.id,
      memberId: participant.memberId,
      level: "use",
    });
    const wf = await workflowWith(participant.client, withCredential(credential.id));
    await owner.mutate("sharing.revoke", {
      assetType: "credential",
      assetId: credential.id,
      memberId: participant.memberId,
    });
    const { executionId } = await participant.client.mutate<{ executionId: string }>(
      "workflows.run",
      { workflowId: wf.id },
    );
    const done = await waitForExecution(participant.client, executionId);
    expect(done.status).toBe("failed");
    expect(stepOf(done, "call")?.error).toContain("Credential not found");
    expect(sink.requests.some((r) => r.headers.authorization?.includes("granted-token-1"))).toBe(
      false,
    );
  });

  it("fails safely when the credential's type no longer fits the node", async () => {
    const credential = await owner.mutate<{ id: string }>("credentials.create", {
      name: "token",
      type: "http_bearer",
      secret: { token: "swapped-token-1" },
    });
    const wf = await workflowWith(owner, withCredential(credential.id));
    await exec(sql`update credential set type = 'smtp' where id = ${credential.id}`);
    const { executionId } = await owner.mutate<{ executionId: string }>("workflows.run", {
      workflowId: wf.id,
    });
    const done = await waitForExecution(owner, executionId);
    expect(done.status).toBe("failed");
    expect(stepOf(done, "call")?.error).toContain("is of type smtp");
    expect(JSON.stringify(done)).not.toContain("swapped-token-1");
  });
});
