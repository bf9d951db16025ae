import { sql } from "drizzle-orm";
import { type Job, PgBoss } from "pg-boss";
import type { Database, Queryable } from "../db/client.ts";
import { pgliteDb, poolDb, transactionDb } from "./adapters.ts";

/**
 * The job queue: pg-boss in its own schema (`pgboss`) of the app's database, on PGlite and on
 * PostgreSQL alike. Delivery is at least once: a job whose worker dies is retried after its
 * `expireInSeconds`, so handlers must be idempotent.
 *
 * PGlite constraint (one connection, each transaction holds it until it ends): while an app
 * transaction is open, every other statement waits for it. So inside a transaction enqueue ONLY
 * with `sendInTransaction(tx, …)`; `send()` there would wait for the transaction that waits for
 * it. pg-boss itself cannot deadlock with app transactions: each of its statements (including
 * its BEGIN…COMMIT maintenance blocks) is one PGlite call, it never holds the connection across
 * an await, and transactional workers (which would) are not offered.
 */
export interface JobQueue {
  /** Creates the queue if it does not exist yet (pg-boss refuses sends to unknown queues). */
  createQueue(name: string): Promise<void>;
  /** Enqueues a job; resolves to its id, or null when `singletonKey` suppressed a duplicate. */
  send(name: string, data: object, options?: EnqueueOptions): Promise<string | null>;
  /** Enqueues inside an open drizzle transaction: the job exists only if the transaction commits. */
  sendInTransaction(
    tx: Queryable,
    name: string,
    data: object,
    options?: EnqueueOptions,
  ): Promise<string | null>;
  /**
   * Runs `handler` for fetched jobs. Resolving completes the batch; throwing fails every job in
   * it (each is retried per its retryLimit/retryDelay, then ends `failed`).
   */
  work<T extends object>(
    name: string,
    options: WorkerOptions,
    handler: (jobs: QueueJob<T>[]) => Promise<void>,
  ): Promise<string>;
  /** Sends `data` to queue `name` on a cron schedule, keyed by `key`; written in `tx`. */
  scheduleInTransaction(
    tx: Queryable,
    name: string,
    cron: string,
    data: object,
    options: { key: string; tz?: string },
  ): Promise<void>;
  /** Removes the schedule `key` of queue `name`; written in `tx`. */
  unscheduleInTransaction(tx: Queryable, name: string, key: string): Promise<void>;
  /**
   * Runs `task` now and then every `seconds` in this process, one run at a time, until the
   * queue stops; a run that throws is reported to `onError` and the next one runs as planned.
   */
  every(seconds: number, task: () => Promise<void>): void;
  /** graceful (default): wait up to `timeoutMs` for running handlers, then fail what is left. */
  stop(options?: { graceful?: boolean; timeoutMs?: number }): Promise<void>;
}

export type QueueJob<T extends object> = Job<T>;

export interface EnqueueOptions {
  /** When the job becomes available: a date, or seconds from now. */
  startAfter?: Date | number;
  singletonKey?: string;
  retryLimit?: number;
  /** Seconds between attempts. */
  retryDelay?: number;
  /** Each retry waits about twice as long as the one before, from retryDelay (with jitter). */
  retryBackoff?: boolean;
  /** How long one attempt may stay active before it counts as failed and is retried. */
  expireInSeconds?: number;
  /**
   * While its handler runs, the job is touched every half of this (≥ 10 s); one not touched
   * for this long belongs to a dead worker and is retried at the next sweep, however long a
   * live attempt may take (that stays bounded by expireInSeconds).
   */
  heartbeatSeconds?: number;
}

export interface WorkerOptions {
  /** Jobs per fetch. With 1, a worker waits a polling interval after every job: use more for throughput. */
  batchSize?: number;
  /** Seconds between polls when the queue was empty (≥ 0.5). */
  pollingIntervalSeconds?: number;
  /** Fetch loops run in parallel in this process. */
  localConcurrency?: number;
}

export interface QueueOptions {
  /** pg-boss reports background failures as events; unheard they would crash the process. */
  onError: (error: Error) => void;
  /** Queues to create on start, so sendInTransaction can use them at once. */
  queues?: string[];
  /**
   * How often expired jobs (their worker died) are swept back to retry. Default 10 s; the
   * effective redelivery delay is expireInSeconds (or heartbeatSeconds) plus up to this.
   */
  expirySweepSeconds?: number;
  /**
   * How long a finished job (completed, failed or cancelled) stays in the job table before
   * pg-boss's maintenance deletes it, in batches. Default 1 day (FLUXO_JOB_RETENTION_HOURS).
   */
  finishedJobsSeconds?: number;
  /** How often that maintenance runs. Default hourly. */
  deletionSweepSeconds?: number;
}

/**
 * The heartbeat of jobs that must come back soon after their worker died (pg-boss's minimum):
 * reclaimed within this plus one expiry sweep.
 */
export const HEARTBEAT_SECONDS = 10;

/** pg-boss's polling interval when a worker names none. */
const DEFAULT_POLLING_SECONDS = 2;

/** A job whose worker died is retried at most this long after it expired. */
const EXPIRY_SWEEP_SECONDS = 10;
const FINISHED_JOBS_SECONDS = 24 * 3600;
const DELETION_SWEEP_SECONDS = 3600;

export async function createQueue(database: Database, options: QueueOptions): Promise<JobQueue> {
  const boss = new PgBoss({
    db: driverDb(database),
    backend: database.kind === "pglite" ? "pglite" : "postgres",
    schema: "pgboss",
    // Expiry is handled by the supervise pass, which only visits queues whose monitor is due.
    superviseIntervalSeconds: options.expirySweepSeconds ?? EXPIRY_SWEEP_SECONDS,
    monitorIntervalSeconds: options.expirySweepSeconds ?? EXPIRY_SWEEP_SECONDS,
    // pg-boss deletes finished jobs past their queue's deleteAfterSeconds on this pass (once a
    // day by default): dead rows in the job table slow every fetch.
    maintenanceIntervalSeconds: options.deletionSweepSeconds ?? DELETION_SWEEP_SECONDS,
    // REINDEX CONCURRENTLY gains nothing on a single-connection embedded database.
    ...(database.kind === "pglite" ? { reindex: false } : {}),
    // A job sent to a notify queue wakes the workers at once (poolDb's listener), not at their
    // next poll: on PGlite, where no other process sends jobs, polling alone serves.
    useListenNotify: database.kind === "postgres",
  });
  boss.on("error", options.onError);
  await boss.start();

  // Queues known to pg-boss's in-memory cache. A cache miss is looked up outside the caller's
  // transaction, which on PGlite would wait for that very transaction: sendInTransaction refuses.
  const known = new Set<string>();
  const deleteAfterSeconds = Math.round(options.finishedJobsSeconds ?? FINISHED_JOBS_SECONDS);
  const createQueue = async (name: string) => {
    await boss.createQueue(name, { deleteAfterSeconds, notify: true });
    // An existing queue keeps the options it was created with: bring them up to date (new
    // jobs take the queue's value when they are sent).
    await boss.updateQueue(name, { deleteAfterSeconds, notify: true });
    known.add(name);
  };
  for (const name of options.queues ?? []) await createQueue(name);
  if (database.exclusive) await retryOrphanedJobs(boss, database);
  // Elsewhere other processes may share the queue: a dead one's jobs come back through the
  // expiry sweep, whose first pass runs now rather than a sweep interval after this start.
  else void boss.supervise().catch((error: unknown) => options.onError(asError(error)));

  // The periodic tasks of `every`: stopped with the queue, after their current run.
  let stopped = false;
  const timers = new Set<NodeJS.Timeout>();
  const inFlight = new Set<Promise<void>>();

  return {
    createQueue,
    send: (name, data, opts = {}) => boss.send(name, data, opts),
    sendInTransaction(tx, name, data, opts = {}) {
      if (!known.has(name)) {
        return Promise.reject(
          new Error(`Queue "${name}" must be created before sendInTransaction`),
        );
      }
      return boss.send(name, data, { ...opts, db: transactionDb(tx) });
    },
    scheduleInTransaction: (tx, name, cron, data, opts) =>
      boss.schedule(name, cron, data, { ...opts, db: transactionDb(tx) }),
    unscheduleInTransaction: (tx, name, key) =>
      boss.unschedule(name, key, { db: transactionDb(tx) }),
    // A full batch means a backlog: fetch again at once instead of sleeping a polling interval.
    // Polling keeps its pace when notifications are on: a job that starts later (a retry, a
    // backoff) sends none, and must not wait pg-boss's default 30 s notify-time poll.
    work: (name, opts, handler) =>
      boss.work(
        name,
        {
          burstWhenBatchFull: true,
          notifyPollingIntervalSeconds: opts.pollingIntervalSeconds ?? DEFAULT_POLLING_SECONDS,
          ...opts,
        },
        handler,
      ),
    every(seconds, task) {
      const run = () => {
        const done = task()
          .catch((error: unknown) => options.onError(asError(error)))
          .finally(() => {
            inFlight.delete(done);
            if (stopped) return;
            const timer = setTimeout(() => {
              timers.delete(timer);
              run();
            }, seconds * 1000);
            timers.add(timer);
          });
        inFlight.add(done);
      };
      run();
    },
    async stop({ graceful = true, timeoutMs = 30_000 } = {}) {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      await Promise.all(inFlight);
      await boss.stop({ graceful, timeout: timeoutMs });
    },
  };
}

/**
 * On a database no other process can open (the embedded one, under its lock), a job still
 * active at start-up was running in a process that died: fail it now so it is retried after its
 * retryDelay, instead of waiting for its heartbeat or expiry.
 */
async function retryOrphanedJobs(boss: PgBoss, database: Database) {
  const { rows } = (await database.db.execute(
    sql`select name, id from pgboss.job where state = 'active'`,
  )) as unknown as { rows: { name: string; id: string }[] };
  const byQueue = new Map<string, string[]>();
  for (const { name, id } of rows) byQueue.set(name, [...(byQueue.get(name) ?? []), id]);
  for (const [name, ids] of byQueue) {
    await boss.fail(name, ids, { message: "its process stopped while it was running" });
  }
}

function driverDb(database: Database) {
  if (database.kind === "pglite" && database.pglite) return pgliteDb(database.pglite);
  if (database.kind === "postgres" && database.pool) return poolDb(database.pool);
  throw new Error("The job queue needs the raw driver of the database (pglite or pool)");
}

const asError = (error: unknown) => (error instanceof Error ? error : new Error(String(error)));
