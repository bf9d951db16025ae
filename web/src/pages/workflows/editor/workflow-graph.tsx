import "@xyflow/react/dist/style.css";
import { Background, Controls, type NodeChange, ReactFlow } from "@xyflow/react";
import { useMemo } from "react";
import { type FlowNode, nodeLabel, toFlow } from "./definition-graph.ts";
import type { NodeTypeInfo, WorkflowDefinition } from "./editor-api.ts";
import { graphNodeTypes, MIN_ZOOM } from "./graph-node.tsx";

export interface WorkflowGraphProps {
  definition: WorkflowDefinition;
  nodeTypes: readonly NodeTypeInfo[];
  /** Each node's execution status ("pending", "running", "succeeded", "failed", …). */
  nodeStatus?: Record<string, string>;
  selectedNodeId?: string | null;
  /** Called when a node is chosen by click or by keyboard (Tab to it, then Enter). */
  onSelectNode?: (nodeId: string) => void;
  /** Sizes the canvas; it needs a height. */
  className?: string;
}

/**
 * A workflow drawn read-only, as saved: nodes where the editor left them, edges with their
 * ports, and optionally each node's execution status. Used by the execution viewer.
 */
export function WorkflowGraph({
  definition,
  nodeTypes,
  nodeStatus,
  selectedNodeId,
  onSelectNode,
  className = "h-[28rem]",
}: WorkflowGraphProps) {
  const flow = useMemo(() => toFlow(definition, nodeTypes), [definition, nodeTypes]);
  const nodes = useMemo(
    () =>
      flow.nodes.map(
        (node): FlowNode => ({
          ...node,
          ariaLabel: nodeLabel(node.data),
          selected: node.id === selectedNodeId,
          data: { ...node.data, status: nodeStatus?.[node.id] },
        }),
      ),
    [flow, nodeStatus, selectedNodeId],
  );
  // The nodes are controlled: a selection (click, or Enter on a focused node) arrives here.
  const onNodesChange = (changes: NodeChange<FlowNode>[]) => {
    for (const change of changes) {
      if (change.type === "select" && change.selected) onSelectNode?.(change.id);
    }
  };
  return (
    <div className={`rounded-md border border-slate-200 bg-slate-50 ${className}`}>
      <ReactFlow
        nodes={nodes}
        edges={flow.edges}
        nodeTypes={graphNodeTypes}
        onNodesChange={onNodesChange}
        nodesDraggable={false}
        nodesConnectable={false}
        elementsSelectable={Boolean(onSelectNode)}
        edgesFocusable={false}
        deleteKeyCode={null}
        fitView
        minZoom={MIN_ZOOM}
        aria-label="Workflow graph"
      >
        <Background />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
