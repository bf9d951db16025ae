import * as Label from "@radix-ui/react-label";
import { createContext, type ReactNode, useContext } from "react";

export const control =
  "block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-xs focus:border-indigo-500 focus:outline-2 focus:outline-indigo-200 disabled:bg-slate-50 disabled:text-slate-600 aria-invalid:border-red-500";

/** What every parameter field needs from the panel: read-only mode and the errors by path. */
export interface FormContext {
  readOnly: boolean;
  errorsAt(path: string): string[];
}

export const ParamFormContext = createContext<FormContext>({
  readOnly: false,
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
    <div className="space-y-1">
      <Label.Root htmlFor={id} className="block font-mono text-sm font-medium text-slate-700">
        {label}
        {required && (
          <span aria-hidden="true" className="text-red-600">
            {" "}
            *
          </span>
        )}
      </Label.Root>
      {children}
      <FieldFooter id={id} hint={hint} errors={errors} />
    </div>
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
