import { useId } from "react";
import { Button } from "../../../components/ui/button.tsx";
import type { JsonSchema } from "../../../lib/json-schema.ts";
import { CredentialPicker } from "./credential-picker.tsx";
import { tokenize } from "./expression-tokens.ts";
import { control, describedBy, FieldFooter, ParamFormContext } from "./field-shell.tsx";
import { NODE_FIELDS, placeIssues } from "./issue-placement.ts";
import { ParamList } from "./param-input.tsx";
import { readParameters } from "./parameter-schema.ts";
import { RunSettings } from "./run-settings.tsx";
import { nextRuns } from "./schedule-preview.ts";
import { ScheduleRuns, WebhookAddress } from "./trigger-info.tsx";
import type { NodeConfigIssue, NodeConfigPanelProps, NodeType, WorkflowNode } from "./types.ts";

export type { NodeConfigIssue, NodeConfigPanelProps, NodeType, WorkflowNode } from "./types.ts";

/**
 * Problems the panel finds itself, before any save (the server says the same on save): an
 * expression where only literal text is taken, a schedule that cannot be read.
 */
function localIssues(node: WorkflowNode, nodeType: NodeType) {
  const issues: NodeConfigIssue[] = nodeType.literalFields
    .filter((field) => tokenize(String(node.parameters[field] ?? "")).hasExpression)
    .map((field) => ({
      path: field,
      message: "must be literal: expressions are not allowed here",
    }));
  if (node.type !== "schedule_trigger") return { issues, reading: undefined };
  const reading = nextRuns(node.parameters.cron, node.parameters.timezone);
  if ("field" in reading) issues.push({ path: reading.field, message: reading.message });
  return { issues, reading };
}

/**
 * The side panel that configures one node of the editor's graph: its name, credential and the
 * parameters of its type, as a form generated from the type's schema, with the save's
 * problems next to the fields they are about. Every change goes to `onChange` at once; the
 * editor keeps the definition and saves it.
 */
export function NodeConfigPanel({
  workflowId,
  node,
  nodeType,
  errors,
  readOnly,
  onChange,
  onClose,
}: NodeConfigPanelProps) {
  const params = readParameters(nodeType.parameters as JsonSchema);
  const local = localIssues(node, nodeType);
  const literal = new Set(nodeType.literalFields);
  const { general, errorsAt } = placeIssues([...local.issues, ...errors], params, node.parameters);

  return (
    <aside
      aria-label={`Configure ${node.name || node.id}`}
      className="flex h-full w-80 max-w-full flex-col border-l border-slate-200 bg-white xl:w-96"
    >
      <header className="flex items-start justify-between gap-2 border-b border-slate-200 p-4">
        <div className="min-w-0">
          <h2 className="text-base font-semibold text-slate-900">{nodeType.displayName}</h2>
          <p className="truncate font-mono text-xs text-slate-500">{node.id}</p>
        </div>
        <Button variant="ghost" aria-label="Close node settings" onClick={onClose}>
          ✕
        </Button>
      </header>
      <ParamFormContext.Provider
        value={{ workflowId, nodeId: node.id, readOnly, literal, errorsAt }}
      >
        {/* keyed: fields that keep local state (rows, JSON text) start afresh for another node */}
        <div key={node.id} className="flex-1 space-y-5 overflow-y-auto p-4">
          {general.length > 0 && <GeneralErrors errors={general} />}
          {readOnly && (
            <p className="text-xs text-slate-500">Read-only: changes cannot be made here.</p>
          )}
          <NameField
            node={node}
            readOnly={readOnly}
            errors={errorsAt(NODE_FIELDS.name)}
            onChange={onChange}
          />
          {node.type === "webhook_trigger" && <WebhookAddress workflowId={workflowId} />}
          {nodeType.credential && (
            <CredentialPicker
              accepts={nodeType.credential}
              value={node.credentialId}
              readOnly={readOnly}
              errors={errorsAt(NODE_FIELDS.credential)}
              onChange={(credentialId) => {
                const { credentialId: _old, ...rest } = node;
                onChange(credentialId ? { ...rest, credentialId } : rest);
              }}
            />
          )}
          {params.length > 0 ? (
            <section aria-label="Parameters" className="space-y-4">
              <ParamList
                params={params}
                value={node.parameters}
                onChange={(parameters) => onChange({ ...node, parameters })}
              />
            </section>
          ) : (
            <p className="text-sm text-slate-500">This node has no parameters.</p>
          )}
          {local.reading && <ScheduleRuns node={node} reading={local.reading} />}
          {nodeType.kind !== "trigger" && (
            <RunSettings node={node} readOnly={readOnly} errorsAt={errorsAt} onChange={onChange} />
          )}
        </div>
      </ParamFormContext.Provider>
    </aside>
  );
}

function NameField({
  node,
  readOnly,
  errors,
  onChange,
}: {
  node: WorkflowNode;
  readOnly: boolean;
  errors: string[];
  onChange: (node: WorkflowNode) => void;
}) {
  const id = useId();
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        Node name
      </label>
      <input
        id={id}
        className={control}
        disabled={readOnly}
        maxLength={200}
        placeholder={node.id}
        value={node.name ?? ""}
        onChange={(e) => {
          const { name: _old, ...rest } = node;
          onChange(e.target.value === "" ? rest : { ...rest, name: e.target.value });
        }}
        aria-describedby={describedBy(id, true, errors)}
        aria-invalid={errors.length > 0 || undefined}
      />
      <FieldFooter id={id} hint="Shown on the canvas; the id stays the same." errors={errors} />
    </div>
  );
}

function GeneralErrors({ errors }: { errors: NodeConfigIssue[] }) {
  return (
    <div
      role="alert"
      aria-label="Problems with this node"
      className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800"
    >
      <ul className="list-disc space-y-1 pl-4">
        {errors.map((e) => (
          <li key={`${e.path}:${e.message}`}>
            {e.path && !e.path.startsWith("(") && (
              <span className="font-mono text-xs">{e.path}: </span>
            )}
            {e.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
