/** Executions queued but not yet started that an instance and one organization may hold. */
export interface BacklogLimits {
  /** FLUXO_MAX_BACKLOG: past it every new trigger is refused with 503. */
  max: number;
  /**
   * FLUXO_MAX_BACKLOG_PER_ORG: past it the organization's triggers are refused with 429. A
   * quarter of `max` by default, so one organization leaves three quarters to the others.
   */
  perOrg: number;
}

/** How long finished executions and queue jobs are kept when an organization sets nothing. */
export interface RetentionDefaults {
  /** FLUXO_RETENTION_DAYS: succeeded and cancelled executions, days after creation. */
  keepDays: number;
  /** FLUXO_RETENTION_FAILED_DAYS: failed executions, days after creation. */
  keepFailedDays: number;
  /** FLUXO_RETENTION_PER_WORKFLOW: newest succeeded/cancelled kept per workflow; null: no limit. */
  keepPerWorkflow: number | null;
  /** FLUXO_JOB_RETENTION_HOURS: finished jobs of the queue, hours after they finished. */
  finishedJobsHours: number;
}

/** One organization's default share of an instance backlog of `max`. */
export const perOrgShare = (max: number) => Math.max(1, Math.floor(max / 4));

export const defaultBacklogLimits: BacklogLimits = { max: 10_000, perOrg: perOrgShare(10_000) };

export const defaultRetention: RetentionDefaults = {
  keepDays: 14,
  keepFailedDays: 30,
  keepPerWorkflow: 10_000,
  finishedJobsHours: 24,
};

/** The longest any retention may be set to, by an operator or an organization: ten years. */
export const MAX_RETENTION_DAYS = 3650;
