import * as Label from "@radix-ui/react-label";
import { createContext, type ReactNode, useContext } from "react";

/** A form control's frame and focus ring, without its colours (the expression field draws its text behind). */
export const frame =
  "block w-full rounded-md border border-slate-300 px-3 py-2 text-sm shadow-xs focus:border-indigo-500 focus:outline-2 focus:outline-indigo-200 aria-invalid:border-red-500";

export const control = `${frame} bg-white disabled:bg-slate-50 disabled:text-slate-600`;

/** What every parameter field needs from the panel: whose node, read-only, errors by path. */
export interface FormContext {
  workflowId: string;
  nodeId: string;
  readOnly: boolean;
  /** Parameters that take no `{{ }}` expressions (a schedule's cron, a query's SQL). */
  literal: ReadonlySet<string>;
  errorsAt(path: string): string[];
}

export const ParamFormContext = createContext<FormContext>({
  workflowId: "",
  nodeId: "",
  readOnly: false,
  literal: new Set(),
  errorsAt: () => [],
});

export const useParamForm = () => useContext(ParamFormContext);

/** Ids of a field's hint and errors, for aria-describedby. */
export function describedBy(id: string, hint: boolean, errors: readonly string[]) {
  const ids = [hint && `${id}-hint`, errors.length > 0 && `${id}-errors`].filter(Boolean);
  return ids.length ? ids.join(" ") : undefined;
}

/** A field's label (the parameter's path, as tests and validation errors name it), hint and errors. */
export function FieldShell({
  id,
  label,
  required,
  hint,
  errors,
  children,
}: {
  id: string;
  label: string;
  required?: boolean;
  hint?: ReactNode;
  errors: readonly string[];
  children: ReactNode;
}) {
  return (
    // the field's box, for tests to find what belongs to it (its preview, its errors)
    <div className="space-y-1" data-testid={`field-${label}`}>
      <div className="flex items-baseline gap-1">
        <Label.Root
          id={`${id}-label`}
          htmlFor={id}
          className="font-mono text-sm font-medium text-slate-700"
        >
          {label}
        </Label.Root>
        {required && <RequiredMark />}
      </div>
      {children}
      <FieldFooter id={id} hint={hint} errors={errors} />
    </div>
  );
}

/**
 * Marks a required field for the eye, outside its label so the label stays the field's
 * name; the control itself says it is required (aria-required).
 */
export function RequiredMark() {
  return (
    <span aria-hidden="true" className="text-red-600" title="Required">
      *
    </span>
  );
}

export function FieldFooter({
  id,
  hint,
  errors,
}: {
  id: string;
  hint?: ReactNode;
  errors: readonly string[];
}) {
  return (
    <>
      {hint && (
        <p id={`${id}-hint`} className="text-xs text-slate-500">
          {hint}
        </p>
      )}
      {errors.length > 0 && (
        <ul id={`${id}-errors`} className="text-xs text-red-700">
          {errors.map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      )}
    </>
  );
}
