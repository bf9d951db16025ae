import { useState } from "react";
import { control, useParamForm } from "./field-shell.tsx";

const show = (value: unknown) => (value === undefined ? "" : JSON.stringify(value, null, 2));

/**
 * A value edited as JSON text, for what the form cannot express. The value changes only when
 * the text parses; until then the parse error is shown and the last good value is kept.
 */
export function JsonInput({
  id,
  value,
  onChange,
  invalid,
}: {
  id: string;
  value: unknown;
  onChange: (value: unknown) => void;
  invalid: boolean;
}) {
  const { readOnly } = useParamForm();
  const [text, setText] = useState(() => show(value));
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <textarea
        id={id}
        className={`${control} min-h-24 font-mono text-xs`}
        spellCheck={false}
        disabled={readOnly}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          if (e.target.value.trim() === "") {
            setError(null);
            onChange(undefined);
            return;
          }
          try {
            onChange(JSON.parse(e.target.value));
            setError(null);
          } catch (parseError) {
            setError(`Not valid JSON: ${(parseError as Error).message}`);
          }
        }}
        aria-invalid={invalid || error !== null || undefined}
        aria-errormessage={error ? `${id}-json` : undefined}
      />
      {error && (
        <p id={`${id}-json`} role="alert" className="text-xs text-red-700">
          {error}
        </p>
      )}
    </>
  );
}
