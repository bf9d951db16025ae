import "@xyflow/react/dist/style.css";
import {
  Background,
  type Connection,
  Controls,
  type EdgeChange,
  type NodeChange,
  ReactFlow,
} from "@xyflow/react";
import type { FlowEdge, FlowNode } from "./definition-graph.ts";
import { graphNodeTypes } from "./graph-node.tsx";

/** Node and edge changes that alter the workflow (not selection, measuring or mid-drag). */
const changesWorkflow = (change: NodeChange<FlowNode> | EdgeChange<FlowEdge>) =>
  change.type === "remove" ||
  change.type === "add" ||
  (change.type === "position" && change.dragging === false);

/**
 * The editable canvas: drag nodes, connect an output port to an input by dragging, select by
 * click or keyboard (Tab, then Enter), Delete or Backspace removes the selection. Read-only,
 * it still selects so the node's settings can be read.
 */
export function EditorCanvas({
  nodes,
  edges,
  readOnly,
  onNodesChange,
  onEdgesChange,
  onConnect,
  onChanged,
}: {
  nodes: FlowNode[];
  edges: FlowEdge[];
  readOnly: boolean;
  onNodesChange: (changes: NodeChange<FlowNode>[]) => void;
  onEdgesChange: (changes: EdgeChange<FlowEdge>[]) => void;
  onConnect: (connection: Connection) => void;
  /** The workflow itself changed (for the unsaved-changes state). */
  onChanged: () => void;
}) {
  return (
    <ReactFlow
      nodes={nodes}
      edges={edges}
      nodeTypes={graphNodeTypes}
      onNodesChange={(changes) => {
        onNodesChange(changes);
        if (changes.some(changesWorkflow)) onChanged();
      }}
      onEdgesChange={(changes) => {
        onEdgesChange(changes);
        if (changes.some(changesWorkflow)) onChanged();
      }}
      onConnect={onConnect}
      isValidConnection={(c) => c.source !== c.target}
      nodesDraggable={!readOnly}
      nodesConnectable={!readOnly}
      deleteKeyCode={readOnly ? null : ["Delete", "Backspace"]}
      fitView
      fitViewOptions={{ maxZoom: 1 }}
      aria-label="Workflow canvas"
    >
      <Background />
      <Controls showInteractive={false} />
    </ReactFlow>
  );
}
