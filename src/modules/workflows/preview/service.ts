import { z } from "zod";
import type { MemberContext } from "../../../access/context.ts";
import { withTenant } from "../../../db/tenant.ts";
import { AppError } from "../../../lib/errors.ts";
import { maskOfCredentials } from "../../vault/mask-credentials.ts";
import type { VaultDeps } from "../../vault/service.ts";
import type { WorkflowDefinition } from "../definition.ts";
import { expressionData } from "../engine/expression-data.ts";
import { redact } from "../engine/log-view.ts";
import { listSteps } from "../engine/repo.ts";
import { loadVersion } from "../engine/version-cache.ts";
import { checkSyntaxIsolated, evaluateParameters } from "../expressions.ts";
import { topologicalOrder } from "../graph.ts";
import { authorizedWorkflow } from "../service.ts";
import { latestExecution } from "./repo.ts";

export const previewInputs = z.strictObject({
  workflowId: z.string().min(1),
  nodeId: z.string().min(1).max(64),
  /** A parameter's text, with or without `{{ … }}` expressions. */
  template: z.string().max(100_000),
});

/** The execution whose data a preview used. */
export interface PreviewSource {
  executionId: string;
  version: number;
  status: string;
  createdAt: Date;
}

export type PreviewResult =
  | { value: unknown; source: PreviewSource }
  | { error: string; source: PreviewSource | null };

/** The nodes that run before `nodeId`, or all of them when the version does not have it. */
function nodesBefore(definition: WorkflowDefinition, nodeId: string): Set<string> {
  const order = topologicalOrder(definition) ?? [];
  const at = order.indexOf(nodeId);
  return new Set(at < 0 ? order : order.slice(0, at));
}

/**
 * Evaluates a parameter's text for a node of the editor against the workflow's latest
 * execution: the trigger payload and the outputs of the nodes before it, as that node saw
 * them, in the same expression workers with the same limits. A viewer of the workflow sees no
 * more than its execution log shows: sensitive keys are redacted and the secrets of the
 * credentials its nodes use are masked, in the data and in the result. A bad expression is an
 * `error` to show, not a failed request.
 */
export async function previewExpression(
  deps: VaultDeps,
  ctx: MemberContext,
  input: z.input<typeof previewInputs>,
): Promise<PreviewResult> {
  const { workflowId, nodeId, template } = previewInputs.parse(input);
  const found = await withTenant(ctx.db, ctx.orgId, async (tx) => {
    await authorizedWorkflow(tx, ctx, workflowId, "view");
    const latest = await latestExecution(tx, ctx.orgId, workflowId);
    if (!latest) return null;
    const version = await loadVersion(tx, ctx.orgId, workflowId, latest.version);
    const definition = version?.definition ?? { nodes: [], edges: [] };
    const credentialIds = definition.nodes.flatMap((n) => (n.credentialId ? [n.credentialId] : []));
    const mask = await maskOfCredentials(deps, tx, ctx, credentialIds);
    const before = nodesBefore(definition, nodeId);
    const steps = await listSteps(tx, ctx.orgId, latest.id);
    const data = expressionData(
      latest.payload,
      steps.filter((s) => before.has(s.nodeId)),
    );
    const source: PreviewSource = {
      executionId: latest.id,
      version: latest.version,
      status: latest.status,
      createdAt: latest.createdAt,
    };
    return { source, mask, data: mask.apply(redact(data)) as typeof data };
  });

  const syntax = (await checkSyntaxIsolated([template]))[0]?.[0];
  if (syntax) return { error: syntax.message, source: found?.source ?? null };
  if (!found) {
    return {
      error: "The workflow has not run yet: run it once to preview expressions against its data",
      source: null,
    };
  }
  const { source, mask, data } = found;
  try {
    const value = await evaluateParameters(template, data);
    return { value: mask.apply(value), source };
  } catch (error) {
    if (error instanceof AppError) return { error: mask.text(error.message), source };
    throw error;
  }
}
