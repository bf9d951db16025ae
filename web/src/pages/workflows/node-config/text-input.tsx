import { control, useParamForm } from "./field-shell.tsx";

/** A string parameter. */
export function TextInput({
  id,
  multiline,
  value,
  placeholder,
  onChange,
  describedBy,
  invalid,
}: {
  id: string;
  label: string;
  multiline: boolean;
  value: string;
  placeholder?: string;
  onChange: (value: string) => void;
  describedBy?: string;
  invalid: boolean;
}) {
  const { readOnly } = useParamForm();
  const props = {
    id,
    className: multiline ? `${control} min-h-24` : control,
    disabled: readOnly,
    value,
    placeholder,
    spellCheck: false,
    "aria-describedby": describedBy,
    "aria-invalid": invalid || undefined,
  };
  return multiline ? (
    <textarea {...props} onChange={(e) => onChange(e.target.value)} />
  ) : (
    <input {...props} onChange={(e) => onChange(e.target.value)} />
  );
}
