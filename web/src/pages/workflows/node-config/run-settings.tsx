import { useId } from "react";
import { control, describedBy, FieldFooter } from "./field-shell.tsx";
import type { WorkflowNode } from "./types.ts";

/** A whole number typed into a field, or undefined when it is left empty. */
const wholeNumber = (text: string) => (text.trim() === "" ? undefined : Math.trunc(Number(text)));

/**
 * The node's retry policy and step timeout (not parameters of its type): left empty, the
 * node type's own defaults apply.
 */
export function RunSettings({
  node,
  readOnly,
  errorsAt,
  onChange,
}: {
  node: WorkflowNode;
  readOnly: boolean;
  errorsAt: (path: string) => string[];
  onChange: (node: WorkflowNode) => void;
}) {
  const attemptsId = useId();
  const backoffId = useId();
  const timeoutId = useId();
  const setRetry = (attempts: number | undefined, backoffMs: number | undefined) => {
    const { retry: _old, ...rest } = node;
    onChange(
      attempts === undefined ? rest : { ...rest, retry: { attempts, backoffMs: backoffMs ?? 0 } },
    );
  };
  const setStepTimeout = (timeoutMs: number | undefined) => {
    const { timeoutMs: _old, ...rest } = node;
    onChange(timeoutMs === undefined ? rest : { ...rest, timeoutMs });
  };
  const fields = [
    {
      id: attemptsId,
      label: "Retry attempts",
      hint: "Runs of the node before it fails (1–10); empty: the node type's default.",
      errors: [...errorsAt("retry"), ...errorsAt("retry.attempts")],
      value: node.retry?.attempts,
      min: 1,
      max: 10,
      disabled: false,
      set: (v: number | undefined) => setRetry(v, node.retry?.backoffMs),
    },
    {
      id: backoffId,
      label: "Retry backoff (ms)",
      hint: "Wait before the second run, doubled for each later one.",
      errors: errorsAt("retry.backoffMs"),
      value: node.retry?.backoffMs,
      min: 0,
      max: 3_600_000,
      disabled: node.retry === undefined,
      set: (v: number | undefined) => setRetry(node.retry?.attempts, v),
    },
    {
      id: timeoutId,
      label: "Step timeout (ms)",
      hint: "How long one run may take (up to 600,000); empty: the node type's default.",
      errors: [],
      value: node.timeoutMs,
      min: 1,
      max: 600_000,
      disabled: false,
      set: setStepTimeout,
    },
  ];
  return (
    <details
      className="rounded-md border border-slate-200 p-3"
      // open when set or refused; the member may still fold it
      open={
        node.retry !== undefined ||
        node.timeoutMs !== undefined ||
        fields.some((f) => f.errors.length > 0)
      }
    >
      <summary className="cursor-pointer text-sm font-medium text-slate-700">
        Retries and timeout
      </summary>
      <div className="mt-3 space-y-4">
        {fields.map((field) => (
          <div key={field.id} className="space-y-1">
            <label htmlFor={field.id} className="block text-sm font-medium text-slate-700">
              {field.label}
            </label>
            <input
              id={field.id}
              type="number"
              className={control}
              min={field.min}
              max={field.max}
              step={1}
              disabled={readOnly || field.disabled}
              value={field.value ?? ""}
              onChange={(e) => field.set(wholeNumber(e.target.value))}
              aria-describedby={describedBy(field.id, true, field.errors)}
              aria-invalid={field.errors.length > 0 || undefined}
            />
            <FieldFooter id={field.id} hint={field.hint} errors={field.errors} />
          </div>
        ))}
      </div>
    </details>
  );
}
