import { authorize } from "../../../access/authorize.ts";
import type { MemberContext } from "../../../access/context.ts";
import { withTenant } from "../../../db/tenant.ts";
import { findMember } from "../../orgs/repo.ts";
import { loadAssetAccess } from "../../sharing/repo.ts";
import { workflowDefinition } from "../definition.ts";
import { topologicalOrder } from "../graph.ts";
import { nodeTypes } from "../nodes/index.ts";
import type { EngineDeps } from "./deps.ts";
import { nextMove } from "./plan.ts";
import * as repo from "./repo.ts";
import { runStep } from "./step.ts";

const LEASE_MS = 60_000;
const BUSY_RETRY_SECONDS = 1;

/**
 * The job handler: takes an execution as far as it can go — until it finishes, fails, waits
 * for an event, or pauses for a retry backoff. Safe to run again at any point: finished
 * steps are never re-run, and a lease keeps two workers off the same execution.
 */
export async function advanceExecution(
  deps: EngineDeps,
  job: { orgId: string; executionId: string },
) {
  const { orgId, executionId } = job;
  const later = () =>
    deps.enqueue(
      { name: "execution.advance", data: job },
      { startAfterSeconds: BUSY_RETRY_SECONDS },
    );
  const lease = () => new Date(Date.now() + LEASE_MS);
  const claim = await withTenant(deps.db, orgId, (tx) =>
    repo.claimLease(tx, orgId, executionId, lease(), deps.orgConcurrency),
  );
  if (claim === "busy") return later();
  if (claim === "settled") return;

  const finish = (outcome: Parameters<typeof repo.finishExecution>[3]) =>
    withTenant(deps.db, orgId, (tx) => repo.finishExecution(tx, orgId, executionId, outcome));
  try {
    const { execution, definition, ctx } = await load(deps, orgId, executionId);
    const order = topologicalOrder(definition) ?? [];
    const triggerId =
      definition.nodes.find((n) => nodeTypes.get(n.type)?.kind === "trigger")?.id ?? "";
    for (;;) {
      const rows = await repo.listSteps(deps.db, orgId, executionId);
      const steps = new Map(rows.map((row) => [row.nodeId, row]));
      const move = nextMove(definition, order, steps, triggerId);
      if (move.kind === "done") return await finish({ status: "succeeded" });
      if (move.kind === "wait") return await finish({ status: "waiting" });
      if (move.kind === "failed") {
        const failed = rows.find((row) => row.status === "failed");
        return await finish({
          status: "failed",
          error: `node "${failed?.nodeId}": ${failed?.error}`,
        });
      }
      if ((await repo.findExecution(deps.db, orgId, executionId))?.status !== "running") return; // cancelled
      await withTenant(deps.db, orgId, (tx) => repo.renewLease(tx, orgId, executionId, lease()));
      const node = definition.nodes.find((n) => n.id === move.nodeId);
      if (!node) throw new Error(`node ${move.nodeId} vanished from the definition`);
      if (move.kind === "skip") {
        await withTenant(deps.db, orgId, (tx) =>
          repo.saveStep(tx, orgId, executionId, node.id, {
            status: "skipped",
            finishedAt: new Date(),
          }),
        );
        continue;
      }
      const type = nodeTypes.get(node.type);
      if (!type) throw new Error(`unknown node type ${node.type}`);
      if (type.kind === "trigger") {
        await withTenant(deps.db, orgId, (tx) =>
          repo.saveStep(tx, orgId, executionId, node.id, {
            status: "succeeded",
            output: execution.payload,
            port: "main",
            finishedAt: new Date(),
            durationMs: 0,
          }),
        );
        continue;
      }
      const data = {
        trigger: execution.payload,
        nodes: Object.fromEntries(
          rows.filter((r) => r.status === "succeeded").map((r) => [r.nodeId, r.output]),
        ),
      };
      const outcome = await runStep(deps, {
        ctx,
        executionId,
        node,
        type,
        prior: steps.get(node.id),
        data,
      });
      if (outcome === "wait") return await finish({ status: "waiting" });
      if (outcome === "retry-later") return await finish({ status: "queued" });
    }
  } catch (error) {
    deps.logger.error({ err: error, executionId }, "execution failed");
    await finish({
      status: "failed",
      error: error instanceof Error ? error.message : "execution failed",
    });
  }
}

/**
 * The execution, its definition, and the context it runs in: the authority of the member
 * who saved the version (their grants decide which credentials it may use), re-read now —
 * an author removed, demoted or ungranted since fails the execution safely.
 */
async function load(deps: EngineDeps, orgId: string, executionId: string) {
  return withTenant(deps.db, orgId, async (tx) => {
    const execution = await repo.findExecution(tx, orgId, executionId);
    if (!execution) throw new Error("execution not found");
    const version = await repo.findVersion(tx, orgId, execution.workflowId, execution.version);
    if (!version) throw new Error("workflow version not found");
    const author = await findMember(tx, orgId, version.authorMemberId);
    if (!author) throw new Error("the workflow's author is no longer a member of the organization");
    const ctx: MemberContext = {
      db: deps.db,
      meta: { requestId: `execution:${executionId}`, ip: undefined, userAgent: undefined },
      orgId,
      userId: author.userId,
      memberId: author.id,
      role: author.role,
      actor: { kind: "system", reason: `workflow execution ${executionId}` },
    };
    const access = await loadAssetAccess(tx, ctx, "workflow", execution.workflowId);
    if (!access) throw new Error("workflow not found");
    authorize(ctx, "workflow:run", access);
    return { execution, definition: workflowDefinition.parse(version.definition), ctx };
  });
}
