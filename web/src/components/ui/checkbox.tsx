import * as Label from "@radix-ui/react-label";
import { type InputHTMLAttributes, useId } from "react";

/** A labelled native checkbox (keyboard and screen readers work as usual). */
export function CheckboxField({
  label,
  id,
  ...input
}: { label: string } & Omit<InputHTMLAttributes<HTMLInputElement>, "type">) {
  const generated = useId();
  const fieldId = id ?? generated;
  return (
    <div className="flex items-center gap-2">
      <input
        id={fieldId}
        type="checkbox"
        className="size-4 rounded border-slate-300 text-indigo-600 focus-visible:outline-2 focus-visible:outline-indigo-600"
        {...input}
      />
      <Label.Root htmlFor={fieldId} className="text-sm text-slate-700">
        {label}
      </Label.Root>
    </div>
  );
}
