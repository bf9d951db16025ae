import * as Label from "@radix-ui/react-label";
import {
  type InputHTMLAttributes,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
  useId,
} from "react";

const control =
  "block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-xs focus:border-indigo-500 focus:outline-2 focus:outline-indigo-200";

interface FieldProps {
  label: string;
  /** A short hint under the field, announced with it. */
  hint?: string;
  /** What is wrong with the value (e.g. the API's message for this field), announced with it. */
  error?: string;
}

/** A labelled input: tests and screen readers find it by its label. */
export function Field({
  label,
  hint,
  error,
  id,
  ...input
}: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  const generated = useId();
  const fieldId = id ?? generated;
  const described = [hint && `${fieldId}-hint`, error && `${fieldId}-error`].filter(Boolean);
  return (
    <div className="space-y-1">
      <Label.Root htmlFor={fieldId} className="block text-sm font-medium text-slate-700">
        {label}
      </Label.Root>
      <input
        id={fieldId}
        className={`${control} aria-invalid:border-red-500`}
        aria-invalid={error ? true : undefined}
        aria-describedby={described.length ? described.join(" ") : undefined}
        {...input}
      />
      {hint && (
        <p id={`${fieldId}-hint`} className="text-xs text-slate-500">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${fieldId}-error`} className="text-xs text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}

/**
 * A labelled select with plain options. `hideLabel` keeps the label for screen readers only,
 * for a select in a table row whose column header already says what it is.
 */
export function SelectField({
  label,
  options,
  id,
  hideLabel = false,
  ...select
}: {
  label: string;
  options: readonly { value: string; label: string }[];
  hideLabel?: boolean;
} & SelectHTMLAttributes<HTMLSelectElement>) {
  const generated = useId();
  const fieldId = id ?? generated;
  return (
    <div className="space-y-1">
      <Label.Root
        htmlFor={fieldId}
        className={hideLabel ? "sr-only" : "block text-sm font-medium text-slate-700"}
      >
        {label}
      </Label.Root>
      <select id={fieldId} className={control} {...select}>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A labelled multi-line text input. */
export function TextAreaField({
  label,
  id,
  rows = 3,
  ...textarea
}: { label: string } & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const generated = useId();
  const fieldId = id ?? generated;
  return (
    <div className="space-y-1">
      <Label.Root htmlFor={fieldId} className="block text-sm font-medium text-slate-700">
        {label}
      </Label.Root>
      <textarea id={fieldId} rows={rows} className={control} {...textarea} />
    </div>
  );
}
