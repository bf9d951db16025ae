import type { MemberContext } from "../../../access/context.ts";
import type { Tx } from "../../../db/client.ts";
import { withTenant } from "../../../db/tenant.ts";
import { findMember } from "../../orgs/repo.ts";
import { authorizeAsset } from "../../sharing/authorize-asset.ts";
import { topologicalOrder } from "../graph.ts";
import { nodeTypes } from "../nodes/index.ts";
import type { EngineDeps } from "./deps.ts";
import { parkExecution } from "./events.ts";
import { expressionData } from "./expression-data.ts";
import { ExecutionLease, LeaseLost, leaseUntil } from "./lease.ts";
import { freeSlot, slotFreed } from "./org-slots.ts";
import { nextMove } from "./plan.ts";
import * as repo from "./repo.ts";
import { runStep } from "./step.ts";
import { loadVersion } from "./version-cache.ts";

const BUSY_RETRY_SECONDS = 1;
/** How long a claim that found its org at the limit waits in this process for a slot. */
const BUSY_WAIT_MS = 1000;

type Step = Pick<repo.StepRow, "nodeId" | "status" | "port" | "attempt" | "output" | "error">;
type StepValues = Parameters<typeof repo.saveStep>[4];

/**
 * The job handler: takes an execution as far as it can go — until it finishes, fails, waits
 * for an event, or pauses for a retry backoff. Safe to run again at any point: finished
 * steps are never re-run, and a lease keeps two workers off the same execution: renewed
 * while this worker lives, checked in every transaction that writes its progress.
 */
export async function advanceExecution(
  deps: EngineDeps,
  job: { orgId: string; executionId: string },
) {
  const { orgId, executionId } = job;
  let until = leaseUntil(deps);
  const claim = () =>
    withTenant(
      deps.db,
      orgId,
      async (tx) => {
        const claimed = await repo.claimLease(tx, orgId, executionId, until, deps.orgConcurrency);
        if (claimed.claim !== "claimed") return claimed;
        // A context that cannot be loaded (author gone, grant revoked) fails the execution below.
        const loaded = await load(tx, deps, claimed.execution, claimed.firstRun).then(
          (value) => ({ value }),
          (error: unknown) => ({ error }),
        );
        return { claim: claimed.claim, loaded } as const;
      },
      { orgLock: true },
    );
  let started = await claim();
  // Over the org's limit: a slot freed by this process is taken at once; the job goes back
  // to the queue only when none was freed here within the wait.
  const deadline = Date.now() + BUSY_WAIT_MS;
  while (started.claim === "busy" && Date.now() < deadline) {
    await slotFreed(orgId, deadline - Date.now());
    until = leaseUntil(deps);
    started = await claim();
  }
  if (started.claim === "busy") {
    return deps.enqueue(
      { name: "execution.advance", data: job },
      { startAfterSeconds: BUSY_RETRY_SECONDS },
    );
  }
  const loaded = "loaded" in started ? started.loaded : undefined;
  if (!loaded) return; // settled: finished, cancelled, or waiting for an event

  const lease = new ExecutionLease(deps, orgId, executionId, until);
  const failed = (error: unknown) =>
    withTenant(deps.db, orgId, (tx) =>
      lease.fenced((tokens) =>
        repo.finishExecution(
          tx,
          orgId,
          executionId,
          { status: "failed", error: error instanceof Error ? error.message : "execution failed" },
          tokens,
        ),
      ),
    );
  try {
    if ("error" in loaded) throw loaded.error;
    const { execution, definition, ctx, rows } = loaded.value;
    // The steps are read once; from here on this worker, holding the lease, is their only writer.
    const steps = new Map<string, Step>(rows.map((row) => [row.nodeId, row]));
    // One clock stamps the steps and never repeats or goes back, so start times order them.
    let last = Math.max(0, ...rows.map((row) => row.startedAt.getTime()));
    const clock = () => {
      last = Math.max(Date.now(), last + 1);
      return new Date(last);
    };
    const record = (nodeId: string, values: StepValues) => {
      const before = steps.get(nodeId);
      const base: Step = {
        nodeId,
        status: values.status,
        port: null,
        attempt: 1,
        output: null,
        error: null,
      };
      steps.set(nodeId, {
        ...base,
        ...before,
        ...(values as Partial<Step>),
        status: values.status,
      });
    };
    // Outcomes that can be recomputed after a crash (trigger, skips, pure nodes) wait here and
    // are written with the next write that must happen, saving a transaction each. So does
    // the outcome of any other node, but only until the next move is known: with the
    // execution's end when it was the last node, else at once.
    const pending: [string, StepValues][] = [];
    let unsettled = false;
    // Nodes with a step row: a write for any other node is a plain insert, all of them in one
    // statement (a node written twice in one go takes the row-by-row path).
    const stored = new Set(rows.map((row) => row.nodeId));
    const flush = async (tx: Tx, ...also: [string, StepValues][]) => {
      unsettled = false;
      const batch = [...pending.splice(0), ...also];
      const fresh = batch.filter(([nodeId]) => !stored.has(nodeId));
      const once = new Set(fresh.map(([nodeId]) => nodeId)).size === fresh.length;
      if (once && fresh.length > 0) await repo.insertSteps(tx, orgId, executionId, fresh);
      for (const [nodeId, values] of once ? batch.filter(([n]) => stored.has(n)) : batch)
        await repo.saveStep(tx, orgId, executionId, nodeId, values);
      for (const [nodeId] of batch) stored.add(nodeId);
    };
    const write = async (
      nodeId: string,
      values: StepValues,
      options: { tx?: Tx; deferrable?: boolean; outcome?: boolean },
    ) => {
      record(nodeId, values);
      if (options.deferrable || options.outcome) {
        pending.push([nodeId, values]);
        unsettled ||= options.deferrable !== true;
        return;
      }
      const inTx = async (tx: Tx) => {
        await lease.assertHeld(tx);
        await flush(tx, [nodeId, values]);
      };
      await (options.tx ? inTx(options.tx) : withTenant(deps.db, orgId, inTx));
    };
    const finish = (outcome: Parameters<typeof repo.finishExecution>[3]) =>
      withTenant(deps.db, orgId, async (tx) => {
        if (outcome.status === "waiting") {
          await lease.assertHeld(tx);
          await flush(tx);
          return await parkExecution(deps, tx, { orgId, executionId });
        }
        // The fenced update locks the row first, as assertHeld would; the outcomes follow it.
        await lease.fenced((tokens) =>
          repo.finishExecution(tx, orgId, executionId, outcome, tokens),
        );
        await flush(tx);
      });
    const order = topologicalOrder(definition) ?? [];
    const triggerId =
      definition.nodes.find((n) => nodeTypes.get(n.type)?.kind === "trigger")?.id ?? "";
    for (;;) {
      const move = nextMove(definition, order, steps, triggerId);
      if (move.kind === "done") return await finish({ status: "succeeded" });
      if (move.kind === "wait") return await finish({ status: "waiting" });
      if (move.kind === "failed") {
        const failed = [...steps.values()].find((step) => step.status === "failed");
        return await finish({
          status: "failed",
          error: `node "${failed?.nodeId}": ${failed?.error}`,
        });
      }
      if (unsettled) {
        await withTenant(deps.db, orgId, async (tx) => {
          await lease.assertHeld(tx);
          await flush(tx);
        });
      }
      const node = definition.nodes.find((n) => n.id === move.nodeId);
      const type = node && nodeTypes.get(node.type);
      if (!node || !type) throw new Error(`node ${move.nodeId} cannot run`);
      if (move.kind === "skip") {
        const at = clock();
        await write(
          node.id,
          { status: "skipped", startedAt: at, finishedAt: at },
          { deferrable: true },
        );
        continue;
      }
      if (type.kind === "trigger") {
        const at = clock();
        const fired = {
          status: "succeeded",
          output: execution.payload,
          port: "main",
          startedAt: at,
          finishedAt: at,
          durationMs: 0,
        } as const;
        await write(node.id, fired, { deferrable: true });
        continue;
      }
      const outcome = await runStep(deps, {
        ctx,
        executionId,
        workflowId: execution.workflowId,
        node,
        type,
        prior: steps.get(node.id),
        data: expressionData(execution.payload, steps.values()),
        lease,
        clock,
        write: (values, options) => write(node.id, values, options),
      });
      if (outcome === "wait") return await finish({ status: "waiting" });
      if (outcome === "retry-later") return await finish({ status: "queued" });
    }
  } catch (error) {
    if (error instanceof LeaseLost) {
      deps.logger.info({ executionId }, "execution left: its lease was lost");
      return;
    }
    deps.logger.error({ err: error, executionId }, "execution failed");
    await failed(error).catch((failure: unknown) => {
      if (!(failure instanceof LeaseLost)) throw failure;
    });
  } finally {
    await lease.release();
    freeSlot(orgId);
  }
}

/**
 * The execution, its definition, its recorded steps, and the context it runs in: the
 * authority of the member who saved the version (their grants decide which credentials it
 * may use), re-read now — an author removed, demoted or ungranted since fails it safely.
 */
async function load(tx: Tx, deps: EngineDeps, execution: repo.ExecutionRow, firstRun: boolean) {
  const { organizationId: orgId, id: executionId } = execution;
  const version = await loadVersion(tx, orgId, execution.workflowId, execution.version);
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
  await authorizeAsset(tx, ctx, "workflow", execution.workflowId, "run");
  const rows = firstRun ? [] : await repo.listSteps(tx, orgId, executionId);
  return { execution, definition: version.definition, ctx, rows };
}
