import { eq, type SQL, sql } from "drizzle-orm";
import type { RetentionDefaults } from "../../../config/executions.ts";
import type { Db } from "../../../db/client.ts";
import { executionRetention, workflow } from "../../../db/schema/index.ts";

/** Rows deleted per transaction: short enough that no lock is held for long. */
export const PRUNE_BATCH_SIZE = 500;

export interface PruneResult {
  /** Executions deleted (their steps went with them, by cascade). */
  deleted: number;
  /** Delete statements that removed at least one row, each its own transaction. */
  batches: number;
}

/** An execution's place in a workflow's history: creation time to the microsecond, then id. */
interface Key {
  at: string;
  id: string;
}

/**
 * Deletes finished executions past their organization's retention (its own settings, or the
 * instance defaults), workflow by workflow, across organizations on the owner connection:
 * - succeeded and cancelled ones created more than `keepDays` ago, or older than the newest
 *   `keepPerWorkflow` of their workflow;
 * - failed ones created more than `keepFailedDays` ago.
 * Queued, running and waiting executions are never candidates, nor one whose review is still
 * pending. Each batch is one statement (one transaction) that locks at most `batchSize` rows
 * and skips rows locked by someone else.
 */
export async function pruneExecutions(
  db: Db,
  defaults: RetentionDefaults,
  batchSize = PRUNE_BATCH_SIZE,
): Promise<PruneResult> {
  const result: PruneResult = { deleted: 0, batches: 0 };
  const targets = await db
    .select({
      orgId: workflow.organizationId,
      workflowId: workflow.id,
      own: executionRetention.organizationId,
      keepDays: executionRetention.keepDays,
      keepFailedDays: executionRetention.keepFailedDays,
      keepPerWorkflow: executionRetention.keepPerWorkflow,
    })
    .from(workflow)
    .leftJoin(executionRetention, eq(executionRetention.organizationId, workflow.organizationId));
  for (const target of targets) {
    const rules = target.own
      ? {
          keepDays: target.keepDays ?? defaults.keepDays,
          keepFailedDays: target.keepFailedDays ?? defaults.keepFailedDays,
          keepPerWorkflow: target.keepPerWorkflow,
        }
      : defaults;
    const scope = sql`e.organization_id = ${target.orgId} and e.workflow_id = ${target.workflowId}`;
    const beyondCount =
      rules.keepPerWorkflow === null
        ? undefined
        : await newestBeyond(db, scope, rules.keepPerWorkflow);
    const ageCutoff = sql`now() - make_interval(days => ${rules.keepDays}::int)`;
    await deleteInBatches(db, result, batchSize, {
      scope: sql`${scope} and e.status in ('succeeded', 'cancelled')`,
      upTo: beyondCount ? sql`greatest(${ageCutoff}, ${stamp(beyondCount)})` : ageCutoff,
      doomed: beyondCount
        ? sql`(e.created_at < ${ageCutoff} or (e.created_at, e.id) <= (${stamp(beyondCount)}, ${beyondCount.id}))`
        : sql`e.created_at < ${ageCutoff}`,
    });
    const failedCutoff = sql`now() - make_interval(days => ${rules.keepFailedDays}::int)`;
    await deleteInBatches(db, result, batchSize, {
      scope: sql`${scope} and e.status = 'failed'`,
      upTo: failedCutoff,
      doomed: sql`e.created_at < ${failedCutoff}`,
    });
  }
  return result;
}

/** The exact text of a creation time: a JS Date would drop the microseconds. */
const keyText = sql`to_char(e.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
const stamp = (key: Key) => sql`${key.at}::timestamptz`;

/** The newest succeeded or cancelled execution past the `keep` newest of the workflow. */
async function newestBeyond(db: Db, scope: SQL, keep: number): Promise<Key | undefined> {
  const found = await db.execute(sql`
    select ${keyText} as at, e.id from execution e
    where ${scope} and e.status in ('succeeded', 'cancelled')
    order by e.created_at desc, e.id desc
    offset ${keep} limit 1`);
  return rowsOf<Key>(found)[0];
}

/**
 * Deletes the rows of `scope` matching `doomed`, oldest first, up to `upTo`, a batch per
 * statement. Each batch continues after the last row the previous one deleted, so rows kept
 * (failed ones kept longer, a pending review's) are read once per pass, not once per batch.
 */
async function deleteInBatches(
  db: Db,
  result: PruneResult,
  batchSize: number,
  rule: { scope: SQL; upTo: SQL; doomed: SQL },
) {
  let after: Key = { at: "-infinity", id: "" };
  for (;;) {
    const found = await db.execute(sql`
      with doomed as (
        select e.id, e.created_at from execution e
        where ${rule.scope}
          and e.created_at <= ${rule.upTo}
          and (e.created_at, e.id) > (${stamp(after)}, ${after.id})
          and ${rule.doomed}
          and not exists (
            select 1 from review_request r where r.execution_id = e.id and r.status = 'pending')
        order by e.created_at, e.id
        limit ${batchSize}
        for update of e skip locked
      ), gone as (
        delete from execution x using doomed where x.id = doomed.id returning x.id, x.created_at
      )
      select count(*)::int as n,
        (select ${keyText} from gone e order by e.created_at desc, e.id desc limit 1) as at,
        (select e.id from gone e order by e.created_at desc, e.id desc limit 1) as id
      from gone`);
    const [batch] = rowsOf<{ n: number; at: string | null; id: string | null }>(found);
    const deleted = Number(batch?.n ?? 0);
    if (deleted > 0) {
      result.deleted += deleted;
      result.batches += 1;
    }
    if (deleted < batchSize || !batch?.at || !batch.id) return;
    after = { at: batch.at, id: batch.id };
  }
}

const rowsOf = <T>(result: unknown) => (result as { rows: T[] }).rows;
