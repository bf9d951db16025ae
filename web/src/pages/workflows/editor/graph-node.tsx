import { Handle, type NodeProps, Position } from "@xyflow/react";
import type { FlowNode } from "./definition-graph.ts";

const statusStyle: Record<string, string> = {
  pending: "border-slate-300",
  running: "border-indigo-500 ring-2 ring-indigo-200",
  succeeded: "border-green-600",
  failed: "border-red-600",
  waiting: "border-amber-500",
  skipped: "border-dashed border-slate-300 opacity-60",
  "not run": "border-dashed border-slate-300 opacity-60",
};

/**
 * A workflow node on the canvas: its type's display name and its own name, an input handle
 * (not on triggers) and one output handle per port, labelled when there is more than "main".
 */
export function GraphNode({ data, selected }: NodeProps<FlowNode>) {
  const { node, nodeType, status, problems } = data;
  const ports = nodeType?.ports ?? ["main"];
  const labelled = ports.length > 1 || ports[0] !== "main";
  const border = problems?.length
    ? "border-red-600 ring-2 ring-red-200"
    : ((status && statusStyle[status]) ?? "border-slate-300");
  return (
    <div
      data-testid={`node-${node.id}`}
      data-status={status}
      data-invalid={problems?.length ? "true" : undefined}
      className={`w-48 rounded-lg border-2 bg-white text-left shadow-sm ${border} ${selected ? "outline-2 outline-offset-2 outline-indigo-600" : ""}`}
    >
      {nodeType?.kind !== "trigger" && (
        <Handle type="target" position={Position.Left} className="size-4! bg-slate-500!" />
      )}
      <div className="px-3 py-2">
        <p className="text-xs font-medium uppercase tracking-wide text-slate-500">
          {nodeType?.displayName ?? node.type}
        </p>
        <p className="truncate text-sm font-semibold text-slate-900">{node.name || node.id}</p>
        {status && <p className="text-xs text-slate-600">{status}</p>}
        {problems && problems.length > 0 && (
          <p className="text-xs font-medium text-red-700">
            {problems.length === 1 ? "1 problem" : `${problems.length} problems`}
          </p>
        )}
      </div>
      {labelled ? (
        <div className="border-t border-slate-100 py-1">
          {ports.map((port) => (
            <div key={port} className="relative h-5 pr-4 text-right text-xs text-slate-600">
              {port}
              <OutputHandle port={port} />
            </div>
          ))}
        </div>
      ) : (
        <OutputHandle port="main" />
      )}
    </div>
  );
}

function OutputHandle({ port }: { port: string }) {
  return (
    <Handle
      id={port}
      type="source"
      position={Position.Right}
      className="size-4! bg-indigo-600!"
      aria-label={`Output ${port}`}
    />
  );
}

export const graphNodeTypes = { workflowNode: GraphNode };

/** The canvases' smallest zoom, low enough that "Fit view" shows a long graph whole. */
export const MIN_ZOOM = 0.2;

/** A node's size on the canvas before it is measured (GraphNode: w-48). */
export const NODE_SIZE = { width: 192, height: 64 };
