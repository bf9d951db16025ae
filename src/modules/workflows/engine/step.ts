import type { MemberContext } from "../../../access/context.ts";
import type { Tx } from "../../../db/client.ts";
import { withTenant } from "../../../db/tenant.ts";
import { SecretMask } from "../../vault/mask.ts";
import { withCredential } from "../../vault/use.ts";
import type { DefinitionNode } from "../definition.ts";
import { evaluateParameters } from "../expressions.ts";
import type { NodeResult, NodeType } from "../nodes/types.ts";
import type { EngineDeps } from "./deps.ts";
import type { ExecutionLease } from "./lease.ts";
import { redact } from "./log-view.ts";
import { orgMembersOnlyMailer } from "./org-mailer.ts";
import { raiseReview } from "./raise-review.ts";
import type { StepRow, saveStep } from "./repo.ts";

const DEFAULT_TIMEOUT_MS = 30_000;
const MAX_OUTPUT_CHARS = 1_000_000;

export type StepOutcome = "continue" | "wait" | "retry-later" | "failed";

type StepValues = Parameters<typeof saveStep>[4];

export interface StepRun {
  ctx: MemberContext;
  executionId: string;
  workflowId: string;
  node: DefinitionNode;
  type: NodeType<unknown>;
  prior: Pick<StepRow, "status" | "attempt" | "error"> | undefined;
  /** What expressions see: the trigger payload and earlier nodes' outputs. */
  data: { trigger: unknown; nodes: Record<string, unknown> };
  /** The worker's claim on the execution: when it is lost, the node is aborted. */
  lease: Pick<ExecutionLease, "lost">;
  /** Time stamps of the execution's steps, strictly increasing. */
  clock(): Date;
  /**
   * Saves a state of this step: in `tx` when given, else in a transaction of its own — or,
   * when `deferrable`, with the caller's next write (a pure node's outcome can be computed
   * again if a crash loses it). Throws LeaseLost, writing nothing, once the execution is no
   * longer this worker's (cancelled, or reclaimed after a stall). An `outcome` (the node's
   * final state) is written before the engine does anything else, in the transaction that ends
   * the execution when nothing follows.
   */
  write(
    values: StepValues,
    options: { tx?: Tx; deferrable?: boolean; outcome?: boolean },
  ): Promise<void>;
}

class NodeTimeout extends Error {}

/**
 * Runs one node: evaluate its parameters, call it under a timeout, persist the outcome.
 * Data problems (a bad expression, parameters the node refuses) fail at once; anything else
 * is retried per the node's policy, by re-enqueueing the execution after a backoff.
 */
export async function runStep(deps: EngineDeps, run: StepRun): Promise<StepOutcome> {
  const { ctx, executionId, node, type, prior } = run;
  const finished = () => {
    const finishedAt = run.clock();
    return { startedAt, finishedAt, durationMs: finishedAt.getTime() - startedAt.getTime() };
  };
  // Learns the secrets of the credentials the node uses, so none is stored in its log.
  const mask = new SecretMask();
  const save = (values: StepValues, tx?: Tx) =>
    run.write(masked(mask, values), { ...(tx && { tx }), deferrable: type.pure === true });
  const settle = (values: StepValues) =>
    run.write(masked(mask, values), { deferrable: type.pure === true, outcome: true });
  const retry = node.retry ?? type.retry ?? { attempts: 1, backoffMs: 0 };
  const resumed = prior?.status === "running" || prior?.status === "retrying";
  const attempt = resumed ? (prior?.attempt ?? 0) + 1 : 1;
  if (attempt > retry.attempts) {
    await settle({
      status: "failed",
      error: prior?.error ?? "interrupted, and no attempts are left",
      finishedAt: run.clock(),
    });
    return "failed";
  }
  const startedAt = run.clock();
  const timeoutMs = node.timeoutMs ?? type.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // A pure node has no side effects: if a crash interrupts it, running it again is harmless,
  // so only its result is recorded. Any other node is marked running before it is called.
  if (!type.pure) {
    const running: StepValues = {
      status: "running",
      attempt,
      startedAt,
      error: null,
      finishedAt: null,
    };
    await save(running);
  }

  let parameters: unknown;
  try {
    parameters = type.parameters.parse(await evaluateParameters(node.parameters, run.data));
  } catch (error) {
    await settle({ status: "failed", error: describe(error), ...finished() });
    return "failed";
  }

  try {
    const result = await callWithTimeout(deps, run, parameters, timeoutMs, mask);
    if ("wait" in result) {
      const waitUntil = new Date(Date.now() + result.wait.timeoutMs);
      await withTenant(deps.db, ctx.orgId, async (tx) => {
        await save(
          {
            status: "waiting",
            input: redact(parameters),
            waitKey: result.wait.key,
            waitUntil,
            timeoutPort: result.wait.timeoutPort,
          },
          tx,
        );
        await deps.enqueue(
          {
            name: "execution.wait-timeout",
            data: { orgId: ctx.orgId, executionId, nodeId: node.id },
          },
          { tx, startAfterSeconds: Math.ceil(result.wait.timeoutMs / 1000) },
        );
      });
      return "wait";
    }
    const output = result.output ?? null;
    if (JSON.stringify(output).length > MAX_OUTPUT_CHARS) {
      throw new Error(`output is larger than ${MAX_OUTPUT_CHARS} characters`);
    }
    await settle({
      status: "succeeded",
      input: redact(parameters),
      output,
      port: result.port ?? "main",
      ...finished(),
    });
    return "continue";
  } catch (error) {
    const message = describe(error);
    if (attempt < retry.attempts) {
      const delay = retry.backoffMs * 2 ** (attempt - 1);
      await withTenant(deps.db, ctx.orgId, async (tx) => {
        await save(
          { status: "retrying", error: message, input: redact(parameters), ...finished() },
          tx,
        );
        await deps.enqueue(
          { name: "execution.advance", data: { orgId: ctx.orgId, executionId } },
          { tx, startAfterSeconds: Math.ceil(delay / 1000) },
        );
      });
      return "retry-later";
    }
    await settle({ status: "failed", error: message, input: redact(parameters), ...finished() });
    return "failed";
  }
}

async function callWithTimeout(
  deps: EngineDeps,
  run: StepRun,
  parameters: unknown,
  timeoutMs: number,
  mask: SecretMask,
): Promise<NodeResult> {
  const { ctx, node, type, executionId } = run;
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const lost = run.lease.lost.signal;
  let onLost = () => {};
  // Ends the call at its timeout, or at once when the worker loses the execution.
  const stopped = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new NodeTimeout(`timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    onLost = () => {
      controller.abort();
      reject(lost.reason);
    };
    if (lost.aborted) onLost();
    else lost.addEventListener("abort", onLost, { once: true });
  });
  const credentialId = node.credentialId;
  const accepts = type.credential?.types ?? [];
  try {
    return await Promise.race([
      type.run({
        orgId: ctx.orgId,
        executionId,
        nodeId: node.id,
        parameters,
        signal: controller.signal,
        outbound: deps.outbound,
        systemMailer: orgMembersOnlyMailer(deps.db, ctx.orgId, deps.mailer),
        hasCredential: credentialId !== undefined,
        requestReview: (review, notify) =>
          raiseReview(
            deps,
            ctx,
            { workflowId: run.workflowId, executionId, nodeId: node.id },
            review,
            notify,
            controller.signal,
          ),
        useCredential: (provider) => {
          if (!credentialId) throw new Error("this node has no credential");
          const purpose = { executionId, nodeId: node.id };
          return withCredential(deps, ctx, { credentialId, accepts, purpose }, (credential) => {
            mask.add(credential);
            return provider(credential);
          });
        },
      }),
      stopped,
    ]);
  } finally {
    clearTimeout(timer);
    lost.removeEventListener("abort", onLost);
  }
}

/**
 * The step's log with the secrets of its credentials masked, before it is stored: remote
 * services echo what they were sent, under any key and in any encoding.
 */
function masked(mask: SecretMask, values: StepValues): StepValues {
  const { input, output, error } = values;
  return {
    ...values,
    ...(input !== undefined && { input: mask.apply(input) }),
    ...(output !== undefined && { output: mask.apply(output) }),
    ...(typeof error === "string" && { error: mask.text(error) }),
  };
}

/** A message for the execution log: the error's own message, never a stack. */
function describe(error: unknown): string {
  if (error && typeof error === "object" && "issues" in error && Array.isArray(error.issues)) {
    const issue = error.issues[0] as { path?: PropertyKey[]; message?: string };
    return `parameters.${(issue.path ?? []).join(".")}: ${issue.message}`;
  }
  return error instanceof Error ? error.message : String(error);
}
