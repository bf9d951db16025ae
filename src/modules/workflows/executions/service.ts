import { randomUUID } from "node:crypto";
import { and, eq, inArray } from "drizzle-orm";
import type { z } from "zod";
import { authorizeListing } from "../../../access/authorize.ts";
import type { MemberContext } from "../../../access/context.ts";
import type { Tx } from "../../../db/client.ts";
import { execution } from "../../../db/schema/index.ts";
import { withTenant } from "../../../db/tenant.ts";
import { AppError, badRequest, conflict, notFound } from "../../../lib/errors.ts";
import { recordAudit } from "../../audit/record.ts";
import { decodeCursor, encodeCursor } from "../../reviews/cursor.ts";
import type { EngineDeps } from "../engine/deps.ts";
import { deliverSignal } from "../engine/events.ts";
import { logView } from "../engine/log-view.ts";
import * as engineRepo from "../engine/repo.ts";
import { reviewIdOfWaitKey } from "../engine/wait-keys.ts";
import { authorizedWorkflow } from "../service.ts";
import { executionInputs } from "./inputs.ts";
import * as repo from "./repo.ts";

type Verb = "view" | "run";

async function authorizedExecution(tx: Tx, ctx: MemberContext, executionId: string, verb: Verb) {
  const found = await engineRepo.findExecution(tx, ctx.orgId, executionId);
  if (!found) throw notFound("Execution");
  const workflow = await authorizedWorkflow(tx, ctx, found.workflowId, verb);
  return { ...found, workflowName: workflow.name };
}

/**
 * Creates an execution of the workflow's current version and queues it, in one transaction.
 * Shared by every trigger: manual runs, incoming webhooks and schedules.
 */
export async function startExecution(
  deps: Pick<EngineDeps, "enqueue">,
  tx: Tx,
  start: {
    orgId: string;
    workflowId: string;
    version: number;
    trigger: "manual" | "webhook" | "schedule";
    payload: Record<string, unknown>;
    triggeredBy?: string;
  },
) {
  const id = randomUUID();
  await engineRepo.insertExecution(tx, {
    id,
    organizationId: start.orgId,
    workflowId: start.workflowId,
    version: start.version,
    trigger: start.trigger,
    payload: start.payload,
    triggeredBy: start.triggeredBy ?? null,
  });
  await deps.enqueue(
    { name: "execution.advance", data: { orgId: start.orgId, executionId: id } },
    { tx },
  );
  return id;
}

export async function runWorkflow(
  deps: EngineDeps,
  ctx: MemberContext,
  input: z.input<typeof executionInputs.run>,
) {
  const { workflowId, payload } = executionInputs.run.parse(input);
  // Before the transaction: the gate reads the backlog across organizations, outside RLS (and
  // on PGlite nothing else can run while a transaction is open).
  await deps.backlog.admit(ctx.orgId);
  return withTenant(ctx.db, ctx.orgId, async (tx) => {
    const workflow = await authorizedWorkflow(tx, ctx, workflowId, "run");
    if (!workflow.currentVersion)
      throw badRequest("Save a definition before running the workflow", "workflowId");
    const executionId = await startExecution(deps, tx, {
      orgId: ctx.orgId,
      workflowId,
      version: workflow.currentVersion,
      trigger: "manual",
      payload,
      triggeredBy: ctx.userId,
    });
    await recordAudit(tx, ctx, {
      action: "workflow.run",
      targetType: "workflow",
      targetId: workflowId,
      metadata: { executionId, version: workflow.currentVersion },
    });
    return { executionId };
  });
}

/** One page of executions, newest first; `nextCursor` is null on the last page. */
export function listExecutions(ctx: MemberContext, input: z.input<typeof executionInputs.list>) {
  authorizeListing(ctx, "workflow:view");
  const { cursor, limit, ...filter } = executionInputs.list.parse(input);
  const after = cursor === undefined ? undefined : decodeCursor(cursor);
  return withTenant(ctx.db, ctx.orgId, async (tx) => {
    // one workflow's list: a 404 for a workflow the member may not view, not an empty page
    if (filter.workflowId) await authorizedWorkflow(tx, ctx, filter.workflowId, "view");
    const rows = await repo.listViewable(tx, ctx, { ...filter, limit: limit + 1, after });
    const items = rows.slice(0, limit).map(({ position: _, ...row }) => row);
    const last = rows.length > limit ? rows[limit - 1] : undefined;
    return { items, nextCursor: last ? encodeCursor(last.position) : null };
  });
}

/** What a waiting step waits for: its review (decided in the inbox) or a signal's key. */
function waitingFor(step: engineRepo.StepRow) {
  if (step.status !== "waiting" || !step.waitKey) return null;
  const reviewId = reviewIdOfWaitKey(step.waitKey);
  return reviewId
    ? { kind: "review" as const, reviewId, until: step.waitUntil }
    : { kind: "signal" as const, key: step.waitKey, until: step.waitUntil };
}

/** The execution with its per-node log: inputs and outputs redacted and size-capped. */
export function getExecution(ctx: MemberContext, input: z.input<typeof executionInputs.id>) {
  const { executionId } = executionInputs.id.parse(input);
  return withTenant(ctx.db, ctx.orgId, async (tx) => {
    const found = await authorizedExecution(tx, ctx, executionId, "view");
    const steps = await engineRepo.listSteps(tx, ctx.orgId, executionId);
    const { leaseUntil: _lease, payload, ...summary } = found;
    return {
      ...summary,
      workflowName: found.workflowName,
      payload: logView(payload),
      // in the order they ran: the engine stamps each step later than the one before
      steps: steps
        .sort(
          (a, b) =>
            a.startedAt.getTime() - b.startedAt.getTime() || a.nodeId.localeCompare(b.nodeId),
        )
        .map((s) => ({
          nodeId: s.nodeId,
          status: s.status,
          attempt: s.attempt,
          port: s.port,
          input: logView(s.input),
          output: logView(s.output),
          error: s.error,
          startedAt: s.startedAt,
          finishedAt: s.finishedAt,
          durationMs: s.durationMs,
          waitingFor: waitingFor(s),
        })),
    };
  });
}

export function cancelExecution(ctx: MemberContext, input: z.input<typeof executionInputs.id>) {
  const { executionId } = executionInputs.id.parse(input);
  return withTenant(ctx.db, ctx.orgId, async (tx) => {
    const found = await authorizedExecution(tx, ctx, executionId, "run");
    const cancelled = await tx
      .update(execution)
      .set({ status: "cancelled", finishedAt: new Date(), leaseUntil: null })
      .where(
        and(
          eq(execution.organizationId, ctx.orgId),
          eq(execution.id, executionId),
          inArray(execution.status, ["queued", "running", "waiting"]),
        ),
      )
      .returning({ id: execution.id });
    if (!cancelled.length) throw conflict(`The execution already ended (${found.status})`);
    await recordAudit(tx, ctx, {
      action: "execution.cancelled",
      targetType: "execution",
      targetId: executionId,
      metadata: { workflowId: found.workflowId },
    });
    return { executionId, status: "cancelled" as const };
  });
}

/** Resumes an execution parked on a wait-for-event node with this key (never a review's wait). */
export async function signalExecution(
  deps: EngineDeps,
  ctx: MemberContext,
  input: z.input<typeof executionInputs.signal>,
) {
  const { executionId, key, payload } = executionInputs.signal.parse(input);
  await withTenant(ctx.db, ctx.orgId, (tx) => authorizedExecution(tx, ctx, executionId, "run"));
  const delivered = await deliverSignal(deps, { orgId: ctx.orgId, executionId }, key, payload);
  if (!delivered)
    throw new AppError("CONFLICT", `Nothing in this execution is waiting for "${key}"`);
  return { executionId, resumed: true };
}
