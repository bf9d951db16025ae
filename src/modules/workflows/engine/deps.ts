import type { Db, Tx } from "../../../db/client.ts";
import type { JobQueue } from "../../../jobs/queue.ts";
import type { Logger } from "../../../lib/logger.ts";
import type { Mailer } from "../../../lib/mailer.ts";
import type { Outbound } from "../../../net/outbound.ts";
import type { Keyring } from "../../vault/keyring.ts";
import type { WebhookQueue } from "../../webhooks/jobs.ts";
import type { BacklogGate } from "../backlog.ts";

/** Jobs the engine puts on the queue; payloads carry ids only, never secrets. */
export type EngineJob =
  | { name: "execution.advance"; data: { orgId: string; executionId: string } }
  | {
      name: "execution.wait-timeout";
      data: { orgId: string; executionId: string; nodeId: string };
    };

export interface EnqueueOptions {
  startAfterSeconds?: number;
  /** Enqueue inside this transaction, so the job exists exactly when the change commits. */
  tx?: Tx;
}

export interface EngineDeps {
  db: Db;
  keyring: Keyring;
  outbound: Outbound;
  mailer: Mailer;
  logger: Logger;
  enqueue(job: EngineJob, options?: EnqueueOptions): Promise<void>;
  /** Refuses new executions while too many wait to start (webhooks, manual runs). */
  backlog: BacklogGate;
  /** Cron schedules of workflows with a schedule trigger. */
  schedules: Pick<JobQueue, "scheduleInTransaction" | "unscheduleInTransaction">;
  /** Where review events become webhook deliveries (`emitWebhookEvent`), in the change's transaction. */
  webhooks: WebhookQueue;
  /** The longest a review may stay open (FLUXO_REVIEW_MAX_HOURS), in seconds. */
  reviewMaxSeconds: number;
  /** Public URL of the instance, for links in notifications. */
  baseUrl: string;
  /** Executions of one organization advanced at the same time, at most. */
  orgConcurrency: number;
  /**
   * How long a worker's claim on an execution lasts without renewal (renewed every quarter of
   * it); an execution whose worker died is resumed this long after its last renewal, at most
   * a quarter more. A default when absent.
   */
  leaseMs?: number | undefined;
  /** Processes evaluating expressions (FLUXO_EXPRESSION_WORKERS); a default when absent. */
  expressionWorkers?: number | undefined;
}
