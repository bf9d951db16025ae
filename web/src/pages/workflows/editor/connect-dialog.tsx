import { type FormEvent, useState } from "react";
import { Dialog } from "../../../components/ui/dialog.tsx";
import { SelectField } from "../../../components/ui/field.tsx";
import { FormActions } from "../../../components/ui/form-actions.tsx";
import type { FlowNode } from "./definition-graph.ts";

const label = (node: FlowNode) => node.data.node.name || node.id;

/**
 * Connects the selected node's output to another node without dragging (for the keyboard):
 * pick the port and the node it leads to. Triggers take no incoming edge.
 */
export function ConnectDialog({
  from,
  nodes,
  open,
  onOpenChange,
  onConnect,
}: {
  from: FlowNode;
  nodes: readonly FlowNode[];
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onConnect: (connection: { source: string; sourceHandle: string; target: string }) => void;
}) {
  const ports = from.data.nodeType?.ports ?? ["main"];
  const targets = nodes.filter((n) => n.id !== from.id && n.data.nodeType?.kind !== "trigger");
  const [port, setPort] = useState(ports[0] ?? "main");
  const [target, setTarget] = useState(targets[0]?.id ?? "");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onConnect({ source: from.id, sourceHandle: port, target });
    onOpenChange(false);
  };
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title={`Connect ${label(from)}`}>
      {targets.length === 0 ? (
        <p className="text-sm text-slate-600">There is no other node to connect to yet.</p>
      ) : (
        <form onSubmit={submit} className="space-y-4">
          <SelectField
            label="Output"
            value={port}
            onChange={(e) => setPort(e.target.value)}
            options={ports.map((p) => ({ value: p, label: p }))}
          />
          <SelectField
            label="To node"
            value={target}
            onChange={(e) => setTarget(e.target.value)}
            options={targets.map((n) => ({ value: n.id, label: label(n) }))}
          />
          <FormActions submit="Connect" onCancel={() => onOpenChange(false)} />
        </form>
      )}
    </Dialog>
  );
}
