import type { z } from "zod";
import { AppError } from "../../lib/errors.ts";
import { type DefinitionNode, type WorkflowDefinition, workflowDefinition } from "./definition.ts";
import { checkExpressionSyntax, hasExpression } from "./expressions.ts";
import { nodesOnCycles, topologicalOrder } from "./graph.ts";
import { nodeTypes, portsOf } from "./nodes/index.ts";

export interface DefinitionProblem {
  nodeId?: string;
  message: string;
}

/** Looks a credential up for the saving member: null when usable, else why not. */
export type CredentialCheck = (
  credentialId: string,
  accepts: readonly string[],
) => Promise<string | null>;

/**
 * Checks of one node against the organization (e.g. that its recipients exist): the
 * problems, each a message naming its parameter.
 */
export type NodeCheck = (node: DefinitionNode) => Promise<string[]>;

/**
 * Validates a definition before it is saved; every problem names its node. Throws one
 * BAD_REQUEST listing them all.
 */
export async function validateDefinition(
  input: unknown,
  checkCredential: CredentialCheck,
  checkNode: NodeCheck = async () => [],
): Promise<WorkflowDefinition> {
  const definition = workflowDefinition.parse(input);
  const problems = [...structuralProblems(definition)];
  for (const node of definition.nodes) {
    const found = await nodeProblems(node, checkCredential);
    // checks against the organization only run on a node that is well-formed on its own
    if (!found.length && nodeTypes.has(node.type)) {
      for (const message of await checkNode(node)) found.push({ nodeId: node.id, message });
    }
    problems.push(...found);
  }
  if (problems.length) {
    const first = problems[0] as DefinitionProblem;
    const where = first.nodeId ? `node "${first.nodeId}": ` : "";
    throw new AppError("BAD_REQUEST", `Invalid workflow: ${where}${first.message}`, {
      field: "definition",
      problems,
    });
  }
  return definition;
}

function* structuralProblems(definition: WorkflowDefinition): Generator<DefinitionProblem> {
  const byId = new Map<string, DefinitionNode>();
  for (const node of definition.nodes) {
    if (byId.has(node.id)) yield { nodeId: node.id, message: "duplicate node id" };
    byId.set(node.id, node);
  }
  const triggers = definition.nodes.filter((n) => nodeTypes.get(n.type)?.kind === "trigger");
  if (triggers.length !== 1)
    yield { message: `a workflow needs exactly one trigger node (found ${triggers.length})` };
  for (const edge of definition.edges) {
    const from = byId.get(edge.from);
    if (!from)
      yield { nodeId: edge.from, message: `edge to "${edge.to}" starts at an unknown node` };
    if (!byId.has(edge.to))
      yield { nodeId: edge.from, message: `edge goes to an unknown node "${edge.to}"` };
    const type = from && nodeTypes.get(from.type);
    if (type && !portsOf(type).includes(edge.port)) {
      yield {
        nodeId: edge.from,
        message: `has no output "${edge.port}" (it has ${portsOf(type).join(", ")})`,
      };
    }
    const target = byId.get(edge.to);
    if (target && nodeTypes.get(target.type)?.kind === "trigger") {
      yield { nodeId: edge.to, message: "a trigger cannot have incoming edges" };
    }
  }
  if (!topologicalOrder(definition)) {
    for (const nodeId of nodesOnCycles(definition)) yield { nodeId, message: "is part of a cycle" };
  }
}

async function nodeProblems(
  node: DefinitionNode,
  checkCredential: CredentialCheck,
): Promise<DefinitionProblem[]> {
  const type = nodeTypes.get(node.type);
  if (!type) return [{ nodeId: node.id, message: `unknown node type "${node.type}"` }];
  const problems: DefinitionProblem[] = [];
  for (const issue of checkExpressionSyntax(node.parameters)) {
    problems.push({ nodeId: node.id, message: `parameters.${issue.path}: ${issue.message}` });
  }
  for (const field of type.literalFields ?? []) {
    if (hasExpression(node.parameters[field])) {
      problems.push({
        nodeId: node.id,
        message: `parameters.${field} must be literal: expressions are not allowed here`,
      });
    }
  }
  problems.push(...parameterProblems(node, type.parameters));
  if (type.credential) {
    if (!node.credentialId) {
      if (type.credential.required)
        problems.push({ nodeId: node.id, message: "needs a credential" });
    } else {
      const why = await checkCredential(node.credentialId, type.credential.types);
      if (why) problems.push({ nodeId: node.id, message: why });
    }
  } else if (node.credentialId) {
    problems.push({ nodeId: node.id, message: `a ${node.type} node takes no credential` });
  }
  return problems;
}

/** Schema problems, except those on values that are expressions (checked when they run). */
function parameterProblems(node: DefinitionNode, schema: z.ZodType): DefinitionProblem[] {
  const result = schema.safeParse(node.parameters);
  if (result.success) return [];
  return result.error.issues
    .filter((issue) => !underExpression(node.parameters, issue.path))
    .map((issue) => ({
      nodeId: node.id,
      message: `parameters${issue.path.length ? `.${issue.path.join(".")}` : ""}: ${issue.message}`,
    }));
}

function underExpression(value: unknown, path: PropertyKey[]): boolean {
  let current = value;
  for (const key of path) {
    if (hasExpression(current) && typeof current === "string") return true;
    if (current === null || typeof current !== "object") return false;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return typeof current === "string" && hasExpression(current);
}
