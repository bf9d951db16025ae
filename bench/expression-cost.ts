/**
 * The cost of evaluating expressions in worker processes (what the engine does) against
 * evaluating them in the calling thread, for the two evaluations an execution of the
 * benchmark's workflow makes: the transform's fields, then the HTTP request's body.
 */

import { evaluateInThread } from "../src/modules/workflows/expressions/evaluate.ts";
import { resolveLimits } from "../src/modules/workflows/expressions/limits.ts";
import { defaultPoolSize } from "../src/modules/workflows/expressions/pool.ts";
import {
  evaluateParameters,
  startExpressionWorkers,
} from "../src/modules/workflows/expressions.ts";

const SHAPE = {
  fields: {
    orderId: "{{ trigger.body.orderId }}",
    total: "{{ trigger.body.amount * 2 }}",
    customer: "{{ trigger.body.customer }}",
  },
};
const POST = { method: "POST", url: "http://127.0.0.1/orders", body: "{{ nodes.shape }}" };

export interface CostRow {
  mode: string;
  /** Median time of one execution's evaluations, one execution at a time. */
  p50Us: number;
  /** Executions' evaluations per second with `concurrency` at once. */
  perSecond: number;
}

type Evaluate = (
  params: unknown,
  data: { trigger: unknown; nodes: Record<string, unknown> },
) => Promise<unknown>;

async function oneExecution(evaluate: Evaluate, n: number) {
  const trigger = {
    body: { orderId: `o-${n}`, amount: n % 1000, customer: { id: n } },
    headers: { "content-type": "application/json" },
    query: {},
  };
  const shape = await evaluate(SHAPE, { trigger, nodes: { hook: trigger } });
  await evaluate(POST, {
    trigger,
    nodes: { hook: trigger, shape: (shape as typeof SHAPE).fields },
  });
}

async function measure(mode: string, evaluate: Evaluate, rounds: number, concurrency: number) {
  for (let i = 0; i < 200; i++) await oneExecution(evaluate, i);
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const started = performance.now();
    await oneExecution(evaluate, i);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < rounds) await oneExecution(evaluate, next++);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return {
    mode,
    p50Us: (times[Math.floor(times.length / 2)] ?? Number.NaN) * 1000,
    perSecond: rounds / seconds,
  };
}

export async function measureExpressionCost(
  rounds: number,
  concurrency: number,
): Promise<CostRow[]> {
  const limits = resolveLimits();
  const inThread: Evaluate = (params, data) => evaluateInThread(params, data, limits);
  const size = defaultPoolSize();
  startExpressionWorkers(size);
  return [
    await measure("in the calling thread", inThread, rounds, concurrency),
    await measure(`worker processes (${size})`, evaluateParameters, rounds, concurrency),
  ];
}
