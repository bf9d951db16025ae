import { randomUUID } from "node:crypto";
import { and, eq, getTableColumns, inArray, isNull, lt, or, sql } from "drizzle-orm";
import type { Queryable, Tx } from "../../../db/client.ts";
import { execution, executionStep, workflowVersion } from "../../../db/schema/index.ts";
import { reviewIdOfWaitKey } from "./wait-keys.ts";

export type ExecutionRow = typeof execution.$inferSelect;
export type StepRow = typeof executionStep.$inferSelect;
export type StepValues = Partial<typeof executionStep.$inferInsert> & {
  status: StepRow["status"];
};

export async function findExecution(db: Queryable, orgId: string, id: string) {
  const [row] = await db
    .select()
    .from(execution)
    .where(and(eq(execution.organizationId, orgId), eq(execution.id, id)));
  return row;
}

export async function findVersion(
  db: Queryable,
  orgId: string,
  workflowId: string,
  version: number,
) {
  const [row] = await db
    .select()
    .from(workflowVersion)
    .where(
      and(
        eq(workflowVersion.organizationId, orgId),
        eq(workflowVersion.workflowId, workflowId),
        eq(workflowVersion.version, version),
      ),
    );
  return row;
}

export function listSteps(db: Queryable, orgId: string, executionId: string) {
  return db
    .select()
    .from(executionStep)
    .where(
      and(eq(executionStep.organizationId, orgId), eq(executionStep.executionId, executionId)),
    );
}

/**
 * Claims the execution for one worker until `until`: succeeds only if nobody holds an
 * unexpired lease, the execution is still meant to run, and fewer than `orgConcurrency` of the
 * org's executions are being advanced. A redelivered job for an execution another worker is
 * advancing, or one over the org's limit, gets "busy" and backs off.
 * `tx` must hold the org's lock (withTenant's `orgLock`): one claim at a time per organization,
 * so the running count cannot race. The count is part of the update, read after the lock was
 * granted (a statement's snapshot is taken when it starts), one round trip less than asking first.
 */
export async function claimLease(
  tx: Tx,
  orgId: string,
  id: string,
  until: Date,
  orgConcurrency: number,
): Promise<
  { claim: "claimed"; execution: ExecutionRow; firstRun: boolean } | { claim: "busy" | "settled" }
> {
  const [claimed] = await tx
    .update(execution)
    .set({
      leaseUntil: until,
      status: "running",
      startedAt: sql`coalesce(${execution.startedAt}, now())`,
    })
    .where(
      and(
        eq(execution.organizationId, orgId),
        eq(execution.id, id),
        inArray(execution.status, ["queued", "running"]),
        or(isNull(execution.leaseUntil), lt(execution.leaseUntil, sql`now()`)),
        sql`(${runningCount(orgId)}) < ${orgConcurrency}`,
      ),
    )
    // started_at set by this very update (now() is the transaction's start): never advanced
    // before, so the execution has no steps to read yet.
    .returning({
      ...getTableColumns(execution),
      firstRun: sql<boolean>`${execution.startedAt} = now()`,
    });
  if (claimed) {
    const { firstRun, ...row } = claimed;
    return { claim: "claimed", execution: row, firstRun };
  }
  const current = await findExecution(tx, orgId, id);
  return current && (current.status === "queued" || current.status === "running")
    ? { claim: "busy" }
    : { claim: "settled" };
}

/**
 * Moves the lease on to `until`, only if it still ends at `held` (set by this worker) and the
 * execution is running: false when it was cancelled, or reclaimed after this worker stalled.
 */
export async function renewLease(
  tx: Tx,
  orgId: string,
  id: string,
  held: Date,
  until: Date,
): Promise<boolean> {
  const rows = await tx
    .update(execution)
    .set({ leaseUntil: until })
    .where(
      and(
        eq(execution.organizationId, orgId),
        eq(execution.id, id),
        eq(execution.status, "running"),
        eq(execution.leaseUntil, held),
      ),
    )
    .returning({ id: execution.id });
  return rows.length === 1;
}

/** Whether the running execution's lease still ends at one of `tokens`; locks its row. */
export async function holdsLease(
  tx: Tx,
  orgId: string,
  id: string,
  tokens: Date[],
): Promise<boolean> {
  const rows = await tx
    .select({ id: execution.id })
    .from(execution)
    .where(
      and(
        eq(execution.organizationId, orgId),
        eq(execution.id, id),
        eq(execution.status, "running"),
        inArray(execution.leaseUntil, tokens),
      ),
    )
    .for("update");
  return rows.length === 1;
}

/**
 * Puts back in the queue every running execution whose lease expired (its worker died), in
 * all organizations: housekeeping of the instance, on the owner connection. Each is returned
 * once, however many processes sweep at the same time (the update re-checks the row). With
 * `unexpiredToo`, leases that have not run out are taken back as well: only for the one
 * process that can open the database, at its start, when every lease was its predecessor's.
 */
export function reclaimExpiredLeases(tx: Tx, { unexpiredToo = false } = {}) {
  return tx
    .update(execution)
    .set({ status: "queued", leaseUntil: null })
    .where(
      and(
        eq(execution.status, "running"),
        unexpiredToo ? undefined : lt(execution.leaseUntil, sql`now()`),
      ),
    )
    .returning({ orgId: execution.organizationId, executionId: execution.id });
}

/** How many of the org's executions some worker is advancing now (a subquery). */
const runningCount = (orgId: string) =>
  sql`select count(*) from ${execution} running
      where running.organization_id = ${orgId} and running.status = 'running'
        and running.lease_until > now()`;

/**
 * Ends the running execution's advance with `outcome`; with `leaseTokens`, only while its
 * lease still ends at one of them (the update locks the row, as holdsLease would). False when
 * no row was updated.
 */
export async function finishExecution(
  tx: Tx,
  orgId: string,
  id: string,
  outcome: { status: "succeeded" | "failed" | "waiting" | "queued"; error?: string },
  leaseTokens?: Date[],
): Promise<boolean> {
  const final = outcome.status === "succeeded" || outcome.status === "failed";
  const rows = await tx
    .update(execution)
    .set({
      status: outcome.status,
      error: outcome.error ?? null,
      leaseUntil: null,
      ...(final ? { finishedAt: sql`now()` } : {}),
    })
    .where(
      and(
        eq(execution.organizationId, orgId),
        eq(execution.id, id),
        eq(execution.status, "running"),
        leaseTokens ? inArray(execution.leaseUntil, leaseTokens) : undefined,
      ),
    )
    .returning({ id: execution.id });
  return rows.length === 1;
}

/** Creates or replaces a node's step row (one row per node; `attempt` counts the tries). */
export async function saveStep(
  tx: Tx,
  orgId: string,
  executionId: string,
  nodeId: string,
  values: StepValues,
) {
  await tx
    .insert(executionStep)
    .values({ id: randomUUID(), organizationId: orgId, executionId, nodeId, ...values })
    .onConflictDoUpdate({ target: [executionStep.executionId, executionStep.nodeId], set: values });
}

/** Inserts steps of nodes that have none yet, in one statement. */
export async function insertSteps(
  tx: Tx,
  orgId: string,
  executionId: string,
  steps: [nodeId: string, values: StepValues][],
) {
  await tx.insert(executionStep).values(
    steps.map(([nodeId, values]) => ({
      id: randomUUID(),
      organizationId: orgId,
      executionId,
      nodeId,
      ...values,
    })),
  );
}

/** Resolves a waiting step once: false when it was no longer waiting (already resolved). */
export async function resolveWait(
  tx: Tx,
  orgId: string,
  executionId: string,
  match: { waitKey: string } | { nodeId: string },
  outcome: { status: "succeeded" | "failed"; port?: string; output?: unknown; error?: string },
): Promise<StepRow | undefined> {
  const rows = await tx
    .update(executionStep)
    .set({
      ...outcome,
      finishedAt: sql`now()`,
      // the wait counts: how long the node took to settle, as for a node that ran through
      durationMs: sql`round(extract(epoch from now() - ${executionStep.startedAt}) * 1000)::integer`,
      waitKey: null,
    })
    .where(
      and(
        eq(executionStep.organizationId, orgId),
        eq(executionStep.executionId, executionId),
        eq(executionStep.status, "waiting"),
        "waitKey" in match
          ? eq(executionStep.waitKey, match.waitKey)
          : eq(executionStep.nodeId, match.nodeId),
      ),
    )
    .returning();
  return rows[0];
}

/** Holds the execution row until the transaction ends (see resumeReviewWaitInTx). */
export async function lockExecution(tx: Tx, orgId: string, id: string) {
  await tx
    .select({ id: execution.id })
    .from(execution)
    .where(and(eq(execution.organizationId, orgId), eq(execution.id, id)))
    .for("update");
}

/** The reviews the execution's waiting steps wait on. */
export async function reviewWaits(tx: Tx, orgId: string, executionId: string) {
  const rows = await tx
    .select({ waitKey: executionStep.waitKey })
    .from(executionStep)
    .where(
      and(
        eq(executionStep.organizationId, orgId),
        eq(executionStep.executionId, executionId),
        eq(executionStep.status, "waiting"),
      ),
    );
  return rows.flatMap((row) => reviewIdOfWaitKey(row.waitKey) ?? []);
}

/** Puts a waiting execution back in the queue; false when it is not waiting (e.g. cancelled). */
export async function requeueWaiting(tx: Tx, orgId: string, id: string): Promise<boolean> {
  const rows = await tx
    .update(execution)
    .set({ status: "queued" })
    .where(
      and(
        eq(execution.organizationId, orgId),
        eq(execution.id, id),
        eq(execution.status, "waiting"),
      ),
    )
    .returning({ id: execution.id });
  return rows.length === 1;
}

export async function insertExecution(tx: Tx, values: typeof execution.$inferInsert) {
  await tx.insert(execution).values(values);
}
