import { useId } from "react";
import { Button } from "../../../components/ui/button.tsx";
import type { JsonSchema } from "../../../lib/json-schema.ts";
import { CredentialPicker } from "./credential-picker.tsx";
import { ParamFormContext } from "./field-shell.tsx";
import { ParamList } from "./param-input.tsx";
import { readParameters } from "./parameter-schema.ts";
import type { NodeConfigIssue, NodeConfigPanelProps } from "./types.ts";

export type { NodeConfigIssue, NodeConfigPanelProps, NodeType, WorkflowNode } from "./types.ts";

/** `assignees.0` and `assignees[0]` name the same field. */
const normalPath = (path: string) => path.replace(/\.(\d+)(?=\.|\[|$)/g, "[$1]");

/**
 * The side panel that configures one node of the editor's graph: its name, credential and the
 * parameters of its type, as a form generated from the type's schema. Every change goes to
 * `onChange` at once; the editor keeps the definition and saves it.
 */
export function NodeConfigPanel({
  node,
  nodeType,
  errors,
  readOnly,
  onChange,
  onClose,
}: NodeConfigPanelProps) {
  const nameId = useId();
  const params = readParameters(nodeType.parameters as JsonSchema);
  const errorsAt = (path: string) =>
    errors.filter((e) => normalPath(e.path) === normalPath(path)).map((e) => e.message);
  // Paths that no field claims are shown at the top; computed from the fields rendered below.
  const collectPaths = (list: typeof params, prefix = ""): string[] =>
    list.flatMap((p) => {
      const path = prefix ? `${prefix}.${p.key}` : p.key;
      return p.field.kind === "object" ? [path, ...collectPaths(p.field.params, path)] : [path];
    });
  const known = new Set(collectPaths(params));
  const general = errors.filter((e) => !claimed(known, normalPath(e.path)));

  return (
    <aside
      aria-label={`Configure ${node.name || node.id}`}
      className="flex h-full w-96 flex-col border-l border-slate-200 bg-white"
    >
      <header className="flex items-start justify-between gap-2 border-b border-slate-200 p-4">
        <div>
          <h2 className="text-base font-semibold text-slate-900">{nodeType.displayName}</h2>
          <p className="font-mono text-xs text-slate-500">{node.id}</p>
        </div>
        <Button variant="ghost" aria-label="Close node settings" onClick={onClose}>
          ✕
        </Button>
      </header>
      <ParamFormContext.Provider value={{ readOnly, errorsAt }}>
        <div className="flex-1 space-y-5 overflow-y-auto p-4">
          {general.length > 0 && <GeneralErrors errors={general} />}
          <div className="space-y-1">
            <label htmlFor={nameId} className="block text-sm font-medium text-slate-700">
              Node name
            </label>
            <input
              id={nameId}
              className="block w-full rounded-md border border-slate-300 px-3 py-2 text-sm disabled:bg-slate-50"
              disabled={readOnly}
              maxLength={200}
              placeholder={node.id}
              value={node.name ?? ""}
              onChange={(e) => {
                const { name: _old, ...rest } = node;
                onChange(e.target.value === "" ? rest : { ...rest, name: e.target.value });
              }}
            />
          </div>
          {nodeType.credential && (
            <CredentialPicker
              accepts={nodeType.credential}
              value={node.credentialId}
              readOnly={readOnly}
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
        </div>
      </ParamFormContext.Provider>
    </aside>
  );
}

/** A problem belongs to a field when its path is the field's or lies inside it. */
function claimed(known: Set<string>, path: string) {
  for (const field of known) {
    if (path === field || path.startsWith(`${field}.`) || path.startsWith(`${field}[`)) return true;
  }
  return false;
}

function GeneralErrors({ errors }: { errors: NodeConfigIssue[] }) {
  return (
    <div
      role="alert"
      className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800"
    >
      <ul className="list-disc space-y-1 pl-4">
        {errors.map((e) => (
          <li key={`${e.path}:${e.message}`}>{e.message}</li>
        ))}
      </ul>
    </div>
  );
}
