import type { z } from "zod";
import { AppError } from "../../lib/errors.ts";
import { type DefinitionNode, type WorkflowDefinition, workflowDefinition } from "./definition.ts";
import { formatPath } from "./expressions/template.ts";
import { checkSyntaxIsolated, hasExpression, type SyntaxProblem } from "./expressions.ts";
import { nodesOnCycles, topologicalOrder } from "./graph.ts";
import { nodeTypes, portsOf } from "./nodes/index.ts";

/**
 * One reason a definition is refused, machine-readable for an editor: the node it is on, the
 * field within the node (`parameters.url`, `parameters.headers[0]`, `credentialId`; absent
 * when it is about the node as a whole or its edges) and what is wrong there.
 */
export interface DefinitionProblem {
  nodeId?: string;
  path?: string;
  message: string;
}

/** A problem within one node, before it is tagged with the node's id. */
export type NodeIssue = Omit<DefinitionProblem, "nodeId">;

/** Looks a credential up for the saving member: null when usable, else why not. */
export type CredentialCheck = (
  credentialId: string,
  accepts: readonly string[],
) => Promise<string | null>;

/** Checks of one node against the organization (e.g. that its recipients exist). */
export type NodeCheck = (node: DefinitionNode) => Promise<NodeIssue[]>;

/**
 * Validates a definition before it is saved; every problem names its node. Throws one
 * BAD_REQUEST listing them all.
 */
export async function validateDefinition(
  input: unknown,
  checkCredential: CredentialCheck,
  checkNode: NodeCheck = async () => [],
): Promise<WorkflowDefinition> {
  const parsed = workflowDefinition.safeParse(input);
  if (!parsed.success) throw refusal(shapeProblems(input, parsed.error.issues));
  const definition = parsed.data;
  const problems = [...structuralProblems(definition)];
  const syntax = await checkSyntaxIsolated(definition.nodes.map((node) => node.parameters));
  for (const [i, node] of definition.nodes.entries()) {
    const found = await nodeProblems(node, syntax[i] ?? [], checkCredential);
    // checks against the organization only run on a node that is well-formed on its own
    if (!found.length && nodeTypes.has(node.type)) {
      for (const issue of await checkNode(node)) found.push({ nodeId: node.id, ...issue });
    }
    problems.push(...found);
  }
  if (problems.length) throw refusal(problems);
  return definition;
}

/** One BAD_REQUEST naming the first problem, with all of them in `details.problems`. */
function refusal(problems: DefinitionProblem[]) {
  const first = problems[0] as DefinitionProblem;
  const where = first.nodeId ? `node "${first.nodeId}": ` : "";
  const field = first.path ? `${first.path}: ` : "";
  return new AppError("BAD_REQUEST", `Invalid workflow: ${where}${field}${first.message}`, {
    field: "definition",
    problems,
  });
}

/** Schema problems of the definition's shape; one inside a node names the node when it can. */
function shapeProblems(input: unknown, issues: z.core.$ZodIssue[]): DefinitionProblem[] {
  const nodes = (input as { nodes?: unknown } | null)?.nodes;
  return issues.map((issue) => {
    const [top, index, ...rest] = issue.path;
    const node = top === "nodes" && Array.isArray(nodes) ? nodes[index as number] : undefined;
    const nodeId = (node as { id?: unknown } | undefined)?.id;
    if (typeof nodeId === "string" && rest.length) {
      return { nodeId, path: fieldPath(rest), message: issue.message };
    }
    return { path: issue.path.length ? fieldPath(issue.path) : undefined, message: issue.message };
  });
}

const fieldPath = (path: PropertyKey[]) =>
  formatPath(path.map((part) => (typeof part === "symbol" ? String(part) : part)));

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
  syntax: SyntaxProblem[],
  checkCredential: CredentialCheck,
): Promise<DefinitionProblem[]> {
  const type = nodeTypes.get(node.type);
  if (!type) return [{ nodeId: node.id, message: `unknown node type "${node.type}"` }];
  const problems: DefinitionProblem[] = [];
  const nodeId = node.id;
  for (const issue of syntax) {
    problems.push({ nodeId, path: `parameters.${issue.path}`, message: issue.message });
  }
  for (const field of type.literalFields ?? []) {
    if (hasExpression(node.parameters[field])) {
      problems.push({
        nodeId,
        path: `parameters.${field}`,
        message: "must be literal: expressions are not allowed here",
      });
    }
  }
  problems.push(...parameterProblems(node, type.parameters));
  const path = "credentialId";
  if (type.credential) {
    if (!node.credentialId) {
      if (type.credential.required) problems.push({ nodeId, path, message: "needs a credential" });
    } else {
      const why = await checkCredential(node.credentialId, type.credential.types);
      if (why) problems.push({ nodeId, path, message: why });
    }
  } else if (node.credentialId) {
    problems.push({ nodeId, path, message: `a ${node.type} node takes no credential` });
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
      path: fieldPath(["parameters", ...issue.path]),
      message: issue.message,
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
