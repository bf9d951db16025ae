import { eq, sql } from "drizzle-orm";
import type { BacklogLimits } from "../../config/executions.ts";
import type { Db } from "../../db/client.ts";
import { execution } from "../../db/schema/index.ts";
import { AppError } from "../../lib/errors.ts";

/** What a refused trigger is told to wait before trying again, in seconds. */
export const BACKLOG_RETRY_AFTER_SECONDS = 5;

/** How long one reading of the backlog is trusted before it is read again. */
const REFRESH_MS = 1000;

interface Reading {
  at: number;
  total: number;
  perOrg: Map<string, number>;
}

/**
 * Back-pressure on new executions: the backlog is the executions created but not yet started
 * (status `queued`: new ones, and ones waiting for a retry or for their organization's
 * concurrency). Past `max` for the instance every trigger is refused (503: the instance is
 * saturated); past `perOrg` for one organization only that organization's triggers are
 * refused (429), so one tenant cannot fill the whole backlog and starve the others.
 */
export interface BacklogGate {
  /** Throws UNAVAILABLE or TOO_MANY_REQUESTS (with `retry_after`) instead of admitting. */
  admit(orgId: string): Promise<void>;
}

export function createBacklogGate(
  db: Db,
  limits: BacklogLimits,
  now: () => number = Date.now,
): BacklogGate {
  let reading: Reading | undefined;
  let pending: Promise<Reading> | undefined;

  // One bounded query a second per process, whatever the request rate: it reads at most
  // max + 1 entries of the partial index of queued executions. Beyond the bound the per-org
  // counts are partial, but then every trigger is refused anyway.
  const read = async (): Promise<Reading> => {
    const queued = db
      .select({ orgId: execution.organizationId })
      .from(execution)
      .where(eq(execution.status, "queued"))
      .limit(limits.max + 1)
      .as("queued");
    const rows = await db
      .select({ orgId: queued.orgId, n: sql<number>`count(*)::int` })
      .from(queued)
      .groupBy(queued.orgId);
    const perOrg = new Map<string, number>();
    let total = 0;
    for (const row of rows) {
      perOrg.set(row.orgId, Number(row.n));
      total += Number(row.n);
    }
    return { at: now(), total, perOrg };
  };

  const current = async () => {
    if (reading && now() - reading.at < REFRESH_MS) return reading;
    pending ??= read().finally(() => {
      pending = undefined;
    });
    reading = await pending;
    return reading;
  };

  return {
    async admit(orgId) {
      const seen = await current();
      const details = { retry_after: BACKLOG_RETRY_AFTER_SECONDS };
      if (seen.total >= limits.max) {
        throw new AppError(
          "UNAVAILABLE",
          `Too many executions are waiting to start on this instance; retry in ${BACKLOG_RETRY_AFTER_SECONDS} seconds`,
          details,
        );
      }
      const ofOrg = seen.perOrg.get(orgId) ?? 0;
      if (ofOrg >= limits.perOrg) {
        throw new AppError(
          "TOO_MANY_REQUESTS",
          `Too many executions of this organization are waiting to start; retry in ${BACKLOG_RETRY_AFTER_SECONDS} seconds`,
          details,
        );
      }
      // Counted at once, so a burst within one reading cannot overshoot by more than the
      // other processes admit meanwhile.
      seen.total += 1;
      seen.perOrg.set(orgId, ofOrg + 1);
    },
  };
}
