import "@xyflow/react/dist/style.css";
import {
  Background,
  type Connection,
  Controls,
  type EdgeChange,
  type NodeChange,
  ReactFlow,
  type ReactFlowInstance,
  type XYPosition,
} from "@xyflow/react";
import { type RefObject, useEffect, useRef } from "react";
import type { FlowEdge, FlowNode } from "./definition-graph.ts";
import { graphNodeTypes, MIN_ZOOM, NODE_SIZE } from "./graph-node.tsx";

/** The smallest zoom at which a node's text is still readable. */
const READABLE_ZOOM = 0.7;

/**
 * Fits the whole graph into the `visible` screen area (the canvas less the panel's `covered`
 * pixels on the right) when it fits there at a readable zoom; says whether it did.
 */
function fitGraph(
  flow: ReactFlowInstance<FlowNode, FlowEdge>,
  nodes: readonly FlowNode[],
  visible: { left: number; right: number; top: number; bottom: number },
  margin: number,
  covered: number,
) {
  if (nodes.length === 0) return false;
  const box = {
    left: Math.min(...nodes.map((n) => n.position.x)),
    top: Math.min(...nodes.map((n) => n.position.y)),
    right: Math.max(...nodes.map((n) => n.position.x + (n.measured?.width ?? NODE_SIZE.width))),
    bottom: Math.max(...nodes.map((n) => n.position.y + (n.measured?.height ?? NODE_SIZE.height))),
  };
  const zoom = Math.min(
    (visible.right - visible.left) / (box.right - box.left),
    (visible.bottom - visible.top) / (box.bottom - box.top),
  );
  if (zoom < READABLE_ZOOM) return false;
  void flow.fitView({
    padding: {
      top: `${margin}px`,
      bottom: `${margin}px`,
      left: `${margin}px`,
      right: `${covered + margin}px`,
    },
    minZoom: READABLE_ZOOM,
    maxZoom: 1,
  });
  return true;
}

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
  viewCentre,
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
  /** Set to tell the middle of the canvas's visible part in graph coordinates (for a new node). */
  viewCentre: RefObject<(() => XYPosition | undefined) | null>;
}) {
  // The selected node is brought into view beside the settings panel that covers the right:
  // the whole graph when it fits there readably, else the node with the least movement (or
  // at full size, from a zoom too small to read).
  // Closing the panel shows the whole graph again when the panel had moved the view, or at
  // least moves the view back by as much as the panel had pushed it left.
  const flow = useRef<ReactFlowInstance<FlowNode, FlowEdge>>(null);
  const box = useRef<HTMLDivElement>(null);
  // how far the panel pushed the view left (screen pixels) while the node's settings were open
  const pushed = useRef<number | null>(null);
  const coveredWas = useRef(0);
  const focused = nodes.find((n) => n.id === focusNodeId);
  const x = focused?.position.x;
  const y = focused?.position.y;
  // biome-ignore lint/correctness/useExhaustiveDependencies: follows the focused node and the panel, not every change of the graph
  useEffect(() => {
    const canvas = box.current?.getBoundingClientRect();
    if (!flow.current || !canvas) return;
    const margin = 16;
    const visible = {
      left: canvas.left + margin,
      right: canvas.right - coveredRight - margin,
      top: canvas.top + margin,
      bottom: canvas.bottom - margin,
    };
    if (x === undefined || y === undefined) {
      const back = pushed.current;
      pushed.current = null;
      if (back === null || fitGraph(flow.current, nodes, visible, margin, 0)) return;
      const viewport = flow.current.getViewport();
      void flow.current.setViewport({
        ...viewport,
        x: viewport.x + Math.min(back, coveredWas.current),
      });
      return;
    }
    coveredWas.current = coveredRight;
    const viewport = flow.current.getViewport();
    if (viewport.zoom < READABLE_ZOOM) {
      // zoomed out to an overview, the node is too small to read beside its settings:
      // centre it at full size in the part of the canvas the panel leaves
      pushed.current = coveredRight / 2;
      const centre = {
        x: (visible.left + visible.right) / 2,
        y: (visible.top + visible.bottom) / 2,
      };
      void flow.current.setViewport({
        zoom: 1,
        x: centre.x - canvas.left - (x + NODE_SIZE.width / 2),
        y: centre.y - canvas.top - (y + NODE_SIZE.height / 2),
      });
      return;
    }
    const from = flow.current.flowToScreenPosition({ x, y });
    const to = flow.current.flowToScreenPosition({
      x: x + NODE_SIZE.width,
      y: y + NODE_SIZE.height,
    });
    // the least movement that brings the node in, so the graph around it stays put
    const dx = Math.min(0, visible.right - to.x) || Math.max(0, visible.left - from.x);
    const dy = Math.min(0, visible.bottom - to.y) || Math.max(0, visible.top - from.y);
    if (!dx && !dy) return;
    pushed.current = (pushed.current ?? 0) - Math.min(0, dx);
    if (fitGraph(flow.current, nodes, visible, margin, coveredRight)) return;
    void flow.current.setViewport({ ...viewport, x: viewport.x + dx, y: viewport.y + dy });
  }, [x, y, coveredRight]);
  useEffect(() => {
    viewCentre.current = () => {
      const canvas = box.current?.getBoundingClientRect();
      return canvas
        ? flow.current?.screenToFlowPosition({
            x: canvas.left + (canvas.width - coveredRight) / 2,
            y: canvas.top + canvas.height / 2,
          })
        : undefined;
    };
  }, [viewCentre, coveredRight]);
  return (
    <div
      ref={box}
      className="relative size-full [&_.react-flow\_\_edge.selected_path.react-flow\_\_edge-path]:stroke-3 [&_.react-flow\_\_edge.selected_path.react-flow\_\_edge-path]:stroke-indigo-600"
    >
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
        // React Flow's default 0.5 cuts a graph of five columns at 1024 px wide
        minZoom={MIN_ZOOM}
        // a drop near a node's input connects, not only on its small handle
        connectionRadius={40}
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
