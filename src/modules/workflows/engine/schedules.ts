import type { Tx } from "../../../db/client.ts";
import type { JobQueue } from "../../../jobs/queue.ts";
import type { WorkflowDefinition } from "../definition.ts";
import { workflowDefinition } from "../definition.ts";
import { startExecution } from "../executions/service.ts";
import { findTriggerTarget } from "../repo.ts";
import type { EngineDeps } from "./deps.ts";
import { findExecution, findVersion } from "./repo.ts";

/** Keeps the cron schedule in step with the version just saved (or removes it). */
export async function syncSchedule(
  queue: Pick<JobQueue, "scheduleInTransaction" | "unscheduleInTransaction">,
  tx: Tx,
  at: { orgId: string; workflowId: string },
  definition: WorkflowDefinition | null,
) {
  const trigger = definition?.nodes.find((n) => n.type === "schedule_trigger");
  if (!trigger) return queue.unscheduleInTransaction(tx, "workflow.schedule", at.workflowId);
  const { cron, timezone } = trigger.parameters as { cron: string; timezone?: string };
  await queue.scheduleInTransaction(tx, "workflow.schedule", cron, at, {
    key: at.workflowId,
    tz: timezone ?? "UTC",
  });
}

/**
 * A schedule fired: run the current version if it still has a schedule trigger; otherwise
 * (workflow deleted or trigger removed) drop the schedule.
 */
export async function startScheduledExecution(
  deps: Pick<EngineDeps, "enqueue" | "schedules">,
  tx: Tx,
  at: { orgId: string; workflowId: string },
) {
  const workflow = await findTriggerTarget(tx, at.workflowId);
  const version =
    workflow?.currentVersion && workflow.organizationId === at.orgId
      ? await findVersion(tx, at.orgId, at.workflowId, workflow.currentVersion)
      : undefined;
  const definition = version ? workflowDefinition.parse(version.definition) : null;
  if (!workflow?.currentVersion || !definition?.nodes.some((n) => n.type === "schedule_trigger")) {
    await syncSchedule(deps.schedules, tx, at, null);
    return null;
  }
  const executionId = await startExecution(deps, tx, {
    orgId: at.orgId,
    workflowId: at.workflowId,
    version: workflow.currentVersion,
    trigger: "schedule",
    payload: { firedAt: new Date().toISOString() },
  });
  return findExecution(tx, at.orgId, executionId);
}
