import { useState } from "react";
import { Button } from "../../../components/ui/button.tsx";
import { control, describedBy, FieldShell, useParamForm } from "./field-shell.tsx";
import { JsonInput } from "./json-input.tsx";
import { TextInput } from "./text-input.tsx";

/** Typed text as a number when it is one; else as text (an expression, or a typo the save names). */
export function asNumber(text: string): number | string | undefined {
  const number = Number(text);
  return text.trim() === "" ? undefined : Number.isFinite(number) ? number : text;
}

/** A number, or an expression that yields one when the node runs. */
export function NumberInput({
  id,
  integer,
  required,
  value,
  placeholder,
  onChange,
  describedBy: described,
  invalid,
}: {
  id: string;
  integer: boolean;
  required: boolean;
  value: number | string | undefined;
  placeholder?: string;
  onChange: (value: unknown) => void;
  describedBy?: string;
  invalid: boolean;
}) {
  const { readOnly } = useParamForm();
  // The text as typed ("2.", "-"), which the number alone would lose.
  const [text, setText] = useState(value === undefined ? "" : String(value));
  return (
    <input
      id={id}
      className={control}
      inputMode={integer ? "numeric" : "decimal"}
      disabled={readOnly}
      value={text}
      placeholder={placeholder}
      onChange={(e) => {
        setText(e.target.value);
        onChange(asNumber(e.target.value));
      }}
      aria-describedby={described}
      aria-invalid={invalid || undefined}
      aria-required={required || undefined}
    />
  );
}

/** Any JSON value: text by default (usually an expression), or JSON when switched. */
export function AnyInput({
  id,
  label,
  required,
  hint,
  errors,
  value,
  onChange,
}: {
  id: string;
  label: string;
  required: boolean;
  hint?: string;
  errors: string[];
  value: unknown;
  onChange: (value: unknown) => void;
}) {
  const { readOnly } = useParamForm();
  const [asJson, setAsJson] = useState(value !== undefined && typeof value !== "string");
  return (
    <FieldShell id={id} label={label} required={required} hint={hint} errors={errors}>
      {asJson ? (
        <JsonInput id={id} value={value} onChange={onChange} invalid={errors.length > 0} />
      ) : (
        <TextInput
          id={id}
          multiline={false}
          expressions
          required={required}
          value={typeof value === "string" ? value : ""}
          onChange={(text) => onChange(text === "" && !required ? undefined : text)}
          describedBy={describedBy(id, Boolean(hint), errors)}
          invalid={errors.length > 0}
        />
      )}
      {!readOnly && (
        <Button
          variant="ghost"
          className="px-1 py-0.5 text-xs"
          disabled={asJson && value !== undefined && typeof value !== "string"}
          onClick={() => setAsJson(!asJson)}
          aria-describedby={`${id}-label`}
        >
          {asJson ? "Edit as text" : "Edit as JSON"}
        </Button>
      )}
    </FieldShell>
  );
}
