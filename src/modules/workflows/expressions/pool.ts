import { type ChildProcess, fork } from "node:child_process";
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { fileURLToPath, pathToFileURL } from "node:url";
import { AppError, type ErrorDetails } from "../../../lib/errors.ts";
import type { ExpressionData, SegmentStart } from "./evaluate.ts";
import type { ExpressionLimits } from "./limits.ts";

/**
 * Expression evaluation runs in a small pool of worker processes, never in the process that
 * serves requests. JSONata checks its time limit between evaluation steps, and the built-ins
 * check sizes before they allocate, but one native call (a regex, a string copy) cannot be
 * interrupted from inside. A worker that overruns its expression's hard deadline is killed; one
 * that outgrows its heap dies of it; either way the caller gets an error naming the limit and
 * the pool starts a fresh worker. Processes rather than worker threads: V8 aborts the whole
 * process when a thread fails one large allocation past its heap limit, whatever the thread's
 * resourceLimits.
 */

/** Heap of one worker: far above what the value limits let an expression build. */
export const WORKER_HEAP_MB = 256;

/** Workers by default: enough that one runaway expression does not hold up the others. */
export const defaultPoolSize = () => Math.min(4, Math.max(2, availableParallelism()));

/**
 * How long, in wall-clock time, an expression may hold a worker. The time limit inside counts
 * CPU time and fires first for anything that computes; this deadline catches a native call
 * that never returns to the check. It is generous because a worker runs at a lower priority
 * and may wait for the CPU on a busy machine without doing any work.
 */
export const hardDeadlineMs = (limits: ExpressionLimits) => limits.timeoutMs * 10 + 1000;

/**
 * How long a worker may take to receive and convert an evaluation's data before its first
 * expression: the data is no larger than what the nodes and the trigger were allowed to
 * produce, and this process has just done the same work to send it.
 */
const DATA_DEADLINE_MS = 10_000;

/** Evaluating a parameter tree, or checking the syntax of several (see checkSyntaxOfAll). */
export type WorkerTask =
  | { params: unknown; data: ExpressionData; limits: ExpressionLimits }
  | { check: unknown[]; limits: ExpressionLimits };

export type WorkerReply =
  | { type: "ready" }
  | ({ type: "segment" } & SegmentStart)
  | { type: "done"; value: unknown }
  | { type: "failed"; message: string; details?: ErrorDetails | undefined };

interface Job {
  task: WorkerTask;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: ChildProcess;
  ready: boolean;
  job?: Job;
  current?: SegmentStart;
  timer?: NodeJS.Timeout;
  /** Set when the pool kills the worker itself, with the reason to report. */
  killedFor?: string;
}

const WORKER_PATH = fileURLToPath(new URL("./worker.ts", import.meta.url));

/**
 * Workers need a TypeScript loader. Under `tsx` (npm start, the benchmarks) they inherit it with
 * the parent's flags; elsewhere (vitest) it is added.
 */
function workerExecArgv(): string[] {
  const heap = `--max-old-space-size=${WORKER_HEAP_MB}`;
  const inherited = process.execArgv.filter((flag) => !flag.startsWith("--max-old-space-size"));
  if (inherited.some((flag) => flag.includes("tsx"))) return [...inherited, heap];
  const loader = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
  return [...inherited, "--import", loader, heap];
}

export class ExpressionPool {
  private readonly slots = new Set<Slot>();
  private readonly queue: Job[] = [];
  private closed = false;

  constructor(readonly size: number) {}

  /** Runs a task in a worker; an evaluation rejects with AppError("BAD_REQUEST") on failure. */
  evaluate(task: WorkerTask): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error("the expression pool is closed"));
    return new Promise((resolve, reject) => {
      this.queue.push({ task, resolve, reject });
      this.dispatch();
    });
  }

  /** Starts every worker now, so that none starts (forks this process) while serving. */
  warm(): void {
    while (!this.closed && this.slots.size < this.size) this.spawn();
  }

  /** Stops every worker; evaluations still queued or running fail. */
  close(): void {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error("the expression pool is closed"));
    for (const slot of this.slots) this.kill(slot, "was stopped: the server is shutting down");
  }

  private dispatch(): void {
    if (this.closed) return;
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (slot.ready && !slot.job) this.start(slot, this.queue.shift() as Job);
    }
    const starting = [...this.slots].filter((slot) => !slot.ready).length;
    if (this.queue.length > starting && this.slots.size < this.size) {
      this.spawn();
      this.dispatch();
    }
  }

  private start(slot: Slot, job: Job): void {
    slot.job = job;
    slot.current = undefined;
    slot.worker.ref();
    slot.worker.channel?.ref();
    this.arm(slot, DATA_DEADLINE_MS);
    slot.worker.send(job.task);
  }

  /** (Re)starts the hard deadline of the job's current phase. */
  private arm(slot: Slot, ms: number): void {
    clearTimeout(slot.timer);
    const limits = slot.job?.task.limits;
    if (!limits) return;
    slot.timer = setTimeout(
      () => this.kill(slot, `took longer than ${limits.timeoutMs} ms and was stopped`),
      ms,
    );
  }

  private spawn(): void {
    const worker = fork(WORKER_PATH, {
      execArgv: workerExecArgv(),
      serialization: "advanced",
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    const slot: Slot = { worker, ready: false };
    this.slots.add(slot);
    if (this.queue.length === 0) this.idle(slot);
    worker.on("message", (reply: WorkerReply) => this.onReply(slot, reply));
    worker.on("error", () => {
      // A process that never started emits no "exit".
      if (worker.pid === undefined) this.onExit(slot, null, null);
      else this.kill(slot, "could not be evaluated");
    });
    worker.on("exit", (code, signal) => this.onExit(slot, code, signal));
  }

  private onExit(slot: Slot, code: number | null, signal: NodeJS.Signals | null): void {
    if (!this.slots.delete(slot)) return;
    clearTimeout(slot.timer);
    // V8 aborts a process that runs out of heap (SIGABRT, or exit code 134 through a shell).
    const outOfMemory = signal === "SIGABRT" || code === 134;
    this.fail(
      slot,
      slot.killedFor ??
        (outOfMemory
          ? `needed more than ${WORKER_HEAP_MB} MB of memory and was stopped`
          : "could not be evaluated"),
    );
    if (!slot.ready && ![...this.slots].some((other) => other.ready)) {
      // No worker could start: fail what waits instead of starting more in a loop.
      for (const job of this.queue.splice(0)) {
        job.reject(new Error(`the expression worker exited while starting (${signal ?? code})`));
      }
    }
    this.dispatch();
  }

  /** An idle worker does not keep the process alive. */
  private idle(slot: Slot): void {
    slot.worker.unref();
    slot.worker.channel?.unref();
  }

  private onReply(slot: Slot, reply: WorkerReply): void {
    if (reply.type === "ready") {
      slot.ready = true;
      this.dispatch();
      if (!slot.job) this.idle(slot);
      return;
    }
    const job = slot.job;
    if (!job) return;
    if (reply.type === "segment") {
      slot.current = { field: reply.field, label: reply.label };
      this.arm(slot, hardDeadlineMs(job.task.limits));
      return;
    }
    clearTimeout(slot.timer);
    slot.job = undefined;
    this.idle(slot);
    if (reply.type === "done") job.resolve(reply.value);
    else job.reject(new AppError("BAD_REQUEST", reply.message, reply.details));
    this.dispatch();
  }

  /** Kills the worker; its job fails with `reason` once it has exited. */
  private kill(slot: Slot, reason: string): void {
    slot.killedFor ??= reason;
    clearTimeout(slot.timer);
    slot.worker.kill("SIGKILL");
  }

  /** Rejects the slot's job, if any, with the limit it broke. */
  private fail(slot: Slot, problem: string): void {
    const job = slot.job;
    if (!job) return;
    slot.job = undefined;
    const current = slot.current;
    job.reject(
      current
        ? new AppError("BAD_REQUEST", `${current.label}: ${problem}`, { field: current.field })
        : new AppError("BAD_REQUEST", `Expression evaluation ${problem}`),
    );
  }
}
