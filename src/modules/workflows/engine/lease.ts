import type { Tx } from "../../../db/client.ts";
import { withTenant } from "../../../db/tenant.ts";
import type { EngineDeps } from "./deps.ts";
import * as repo from "./repo.ts";

/** How long a worker's claim on an execution lasts unless renewed; renewed every quarter of it. */
export const DEFAULT_LEASE_MS = 15_000;

/** Thrown by a write of a worker that no longer holds the execution: it stops without a trace. */
export class LeaseLost extends Error {
  constructor() {
    super("the execution's lease was lost (cancelled, or reclaimed after a stall)");
  }
}

/**
 * One worker's claim on one execution, kept alive by a heartbeat while the worker advances it,
 * so a slow node never outlives its lease and a dead worker's lease expires within seconds.
 * The lease's expiry time doubles as its fencing token: a renewal or a write succeeds only
 * while the row still carries a value this worker set, so a worker that stalled past its
 * lease (and was reclaimed) or whose execution was cancelled stops instead of writing.
 */
export class ExecutionLease {
  /** Aborted when the lease is lost: the node in flight stops. */
  readonly lost = new AbortController();
  private renewing: Date | undefined;
  private readonly timer: NodeJS.Timeout;
  private beat: Promise<void> = Promise.resolve();

  constructor(
    private readonly deps: Pick<EngineDeps, "db" | "logger" | "leaseMs">,
    private readonly orgId: string,
    private readonly executionId: string,
    private held: Date,
  ) {
    this.timer = setInterval(() => {
      this.beat = this.beat.then(() => this.renew());
    }, leaseMs(deps) / 4);
  }

  /** Stops the heartbeat; the last renewal settles before the worker's final write. */
  async release(): Promise<void> {
    clearInterval(this.timer);
    await this.beat;
  }

  /** Throws LeaseLost unless the execution is still this worker's; locks its row in `tx`. */
  assertHeld(tx: Tx): Promise<void> {
    return this.fenced((tokens) => repo.holdsLease(tx, this.orgId, this.executionId, tokens));
  }

  /**
   * Runs `write`, a statement that finds (and locks) the execution's row only while its lease
   * ends at one of `tokens`, in place of assertHeld before it: LeaseLost unless it found it.
   */
  async fenced(write: (tokens: Date[]) => Promise<boolean>): Promise<void> {
    const tokens = this.renewing ? [this.held, this.renewing] : [this.held];
    const held = !this.lost.signal.aborted && (await write(tokens));
    if (!held) {
      this.lose();
      throw new LeaseLost();
    }
  }

  private async renew() {
    if (this.lost.signal.aborted) return;
    const next = leaseUntil(this.deps);
    this.renewing = next;
    try {
      const renewed = await withTenant(this.deps.db, this.orgId, (tx) =>
        repo.renewLease(tx, this.orgId, this.executionId, this.held, next),
      );
      if (renewed) this.held = next;
      else this.lose();
    } catch (error) {
      // a failed renewal is retried at the next beat; the lease still has time left
      this.deps.logger.warn({ err: error, executionId: this.executionId }, "lease renewal failed");
    } finally {
      this.renewing = undefined;
    }
  }

  private lose() {
    clearInterval(this.timer);
    this.lost.abort(new LeaseLost());
  }
}

export const leaseMs = (deps: Pick<EngineDeps, "leaseMs">) => deps.leaseMs ?? DEFAULT_LEASE_MS;

export const leaseUntil = (deps: Pick<EngineDeps, "leaseMs">) =>
  new Date(Date.now() + leaseMs(deps));
