import { z } from "zod";

const nodeId = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, "node ids: a letter, then letters, digits, _ or -");

export const definitionNode = z.strictObject({
  id: nodeId,
  type: z.string().min(1),
  name: z.string().max(200).optional(),
  parameters: z.record(z.string(), z.unknown()).default({}),
  credentialId: z.string().min(1).optional(),
  retry: z
    .strictObject({
      attempts: z.number().int().min(1).max(10),
      backoffMs: z.number().int().min(0).max(3_600_000),
    })
    .optional(),
  timeoutMs: z.number().int().min(1).max(600_000).optional(),
  /** Where the editor draws the node; the engine ignores it. */
  position: z
    .strictObject({
      x: z.number().min(-1_000_000).max(1_000_000),
      y: z.number().min(-1_000_000).max(1_000_000),
    })
    .optional(),
});

export const definitionEdge = z.strictObject({
  from: nodeId,
  to: nodeId,
  /** The source node's output port this edge leaves from. */
  port: z.string().min(1).default("main"),
});

/** A workflow definition: a DAG of nodes with one trigger. */
export const workflowDefinition = z.strictObject({
  nodes: z.array(definitionNode).min(1).max(200),
  edges: z.array(definitionEdge).max(1000).default([]),
});

export type WorkflowDefinition = z.output<typeof workflowDefinition>;
export type DefinitionNode = z.output<typeof definitionNode>;
export type DefinitionEdge = z.output<typeof definitionEdge>;
