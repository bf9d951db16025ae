import type { ReactNode } from "react";
import { useId } from "react";

/** A labelled JSON textarea for a payload (a run's, a signal's, a review's), its parse error under it. */
export function PayloadField({
  label,
  hint,
  rows,
  value,
  onChange,
  error,
}: {
  label: string;
  hint?: ReactNode;
  rows: number;
  value: string;
  onChange: (text: string) => void;
  error: string | null;
}) {
  const fieldId = useId();
  return (
    <>
      <div className="space-y-1">
        <label htmlFor={fieldId} className="block text-sm font-medium text-slate-700">
          {label}
        </label>
        <textarea
          id={fieldId}
          rows={rows}
          spellCheck={false}
          aria-invalid={error ? true : undefined}
          aria-describedby={hint ? `${fieldId}-hint` : undefined}
          className="block w-full rounded-md border border-slate-300 px-3 py-2 font-mono text-sm focus:border-indigo-500 focus:outline-2 focus:outline-indigo-200"
          value={value}
          onChange={(e) => onChange(e.target.value)}
        />
        {hint && (
          <p id={`${fieldId}-hint`} className="text-xs text-slate-500">
            {hint}
          </p>
        )}
      </div>
      {error && (
        <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-800">
          {error}
        </p>
      )}
    </>
  );
}
