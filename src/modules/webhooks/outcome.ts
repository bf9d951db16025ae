import type { AttemptResult } from "./deliver.ts";
import { retryAfterMs, retryDelayMs } from "./schedule.ts";

export type DeliveryStatus = "pending" | "succeeded" | "failed";
export type AttemptTrigger = "scheduled" | "manual";

/** An endpoint failing without a single success for this long is disabled on its next failure. */
export const FAILING_DISABLE_AFTER_MS = 5 * 24 * 3_600_000;

/** Not sent because the endpoint was disabled when the attempt came due. */
export const ENDPOINT_DISABLED_KIND = "endpoint_disabled";

export interface AttemptFacts {
  result: AttemptResult;
  trigger: AttemptTrigger;
  /** For a scheduled attempt: its place in the retry schedule (1-based). */
  scheduledAttempt: number;
  deliveryStatus: DeliveryStatus;
  deliveryNextAttemptAt: Date | null;
  endpointFailingSince: Date | null;
  random?: () => number;
}

export interface AttemptVerdict {
  status: DeliveryStatus;
  nextAttemptAt: Date | null;
  /** Endpoint health: "ok" clears failing_since, "failing" starts it, null leaves it. */
  endpointHealth: "ok" | "failing" | null;
  /** Set when this attempt disables the endpoint (system action, audited). */
  disableReason: string | null;
}

/**
 * What an attempt means for its delivery and endpoint. A manual attempt never moves the
 * scheduled chain: on failure the delivery keeps its status and next attempt; on success it
 * is delivered, and the chain's next job finds it so and stops.
 */
export function judgeAttempt(facts: AttemptFacts): AttemptVerdict {
  const { result, trigger } = facts;
  const now = result.requestedAt;
  const status = result.responseStatus;
  if (status !== null && status >= 200 && status < 300) {
    return { status: "succeeded", nextAttemptAt: null, endpointHealth: "ok", disableReason: null };
  }
  const delivered = facts.deliveryStatus === "succeeded";
  if (result.errorKind === ENDPOINT_DISABLED_KIND) {
    return {
      status: delivered ? "succeeded" : "failed",
      nextAttemptAt: null,
      endpointHealth: null,
      disableReason: null,
    };
  }
  const disableReason =
    status === 410
      ? "The endpoint answered 410 Gone"
      : facts.endpointFailingSince &&
          now.getTime() - facts.endpointFailingSince.getTime() >= FAILING_DISABLE_AFTER_MS
        ? "Every attempt failed for 5 days"
        : null;
  const failed = { endpointHealth: "failing" as const, disableReason };
  if (delivered) return { status: "succeeded", nextAttemptAt: null, ...failed };
  if (disableReason) return { status: "failed", nextAttemptAt: null, ...failed };
  if (trigger === "manual") {
    return { status: facts.deliveryStatus, nextAttemptAt: facts.deliveryNextAttemptAt, ...failed };
  }
  const delay = nextDelay(facts, now);
  if (delay === null) return { status: "failed", nextAttemptAt: null, ...failed };
  return { status: "pending", nextAttemptAt: new Date(now.getTime() + delay), ...failed };
}

/** The schedule's delay, or the receiver's Retry-After on 429/503 while attempts remain. */
function nextDelay(facts: AttemptFacts, now: Date): number | null {
  const scheduled = retryDelayMs(facts.scheduledAttempt, facts.random);
  if (scheduled === null) return null;
  const status = facts.result.responseStatus;
  if (status === 429 || status === 503) {
    return retryAfterMs(facts.result.responseHeaders["retry-after"], now) ?? scheduled;
  }
  return scheduled;
}
