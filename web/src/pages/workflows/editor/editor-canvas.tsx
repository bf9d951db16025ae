import "@xyflow/react/dist/style.css";
import {
  Background,
  type Connection,
  Controls,
  type EdgeChange,
  type NodeChange,
  ReactFlow,
  type ReactFlowInstance,
} from "@xyflow/react";
import { useEffect, useRef } from "react";
import type { FlowEdge, FlowNode } from "./definition-graph.ts";
import { graphNodeTypes } from "./graph-node.tsx";

/** A node's size on the canvas before it is measured (graph-node.tsx: w-48). */
const NODE = { width: 192, height: 64 };

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
  focusNodeId,
  coveredRight,
}: {
  nodes: FlowNode[];
  edges: FlowEdge[];
  readOnly: boolean;
  onNodesChange: (changes: NodeChange<FlowNode>[]) => void;
  onEdgesChange: (changes: EdgeChange<FlowEdge>[]) => void;
  onConnect: (connection: Connection) => void;
  /** The workflow itself changed (for the unsaved-changes state). */
  onChanged: () => void;
  /** A node to keep in view (the one whose settings are open). */
  focusNodeId: string | undefined;
  /** Pixels on the canvas's right that the settings panel covers. */
  coveredRight: number;
}) {
  // The selected node is brought into view beside the settings panel that covers the right.
  const flow = useRef<ReactFlowInstance<FlowNode, FlowEdge>>(null);
  const box = useRef<HTMLDivElement>(null);
  const focused = nodes.find((n) => n.id === focusNodeId);
  const x = focused?.position.x;
  const y = focused?.position.y;
  useEffect(() => {
    const canvas = box.current?.getBoundingClientRect();
    if (!flow.current || !canvas || x === undefined || y === undefined) return;
    const margin = 16;
    const visible = {
      left: canvas.left + margin,
      right: canvas.right - coveredRight - margin,
      top: canvas.top + margin,
      bottom: canvas.bottom - margin,
    };
    const from = flow.current.flowToScreenPosition({ x, y });
    const to = flow.current.flowToScreenPosition({ x: x + NODE.width, y: y + NODE.height });
    // the least movement that brings the node in, so the graph around it stays put
    const dx = Math.min(0, visible.right - to.x) || Math.max(0, visible.left - from.x);
    const dy = Math.min(0, visible.bottom - to.y) || Math.max(0, visible.top - from.y);
    if (!dx && !dy) return;
    const viewport = flow.current.getViewport();
    void flow.current.setViewport({ ...viewport, x: viewport.x + dx, y: viewport.y + dy });
  }, [x, y, coveredRight]);
  return (
    <div ref={box} className="relative size-full">
      <ReactFlow
        onInit={(instance) => {
          flow.current = instance;
        }}
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
      {nodes.length === 0 && (
        <p className="pointer-events-none absolute inset-x-0 top-1/3 text-center text-sm text-slate-500">
          {readOnly ? "This workflow has no nodes." : "Start with a trigger from the palette."}
        </p>
      )}
    </div>
  );
}
