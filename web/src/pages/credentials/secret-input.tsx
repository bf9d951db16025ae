import { Button } from "../../components/ui/button.tsx";
import { Field } from "../../components/ui/field.tsx";
import type { SecretEdit } from "./credential-form.tsx";
import type { FieldSpec } from "./schema.ts";

interface Props {
  field: FieldSpec;
  /** The stored credential holds a value for this field (the value itself never comes back). */
  isSet: boolean;
  edit: SecretEdit;
  onChange: (edit: SecretEdit) => void;
}

/**
 * A write-only secret field. Unset: an empty input. Set: "set", with a button that reveals an
 * empty input to replace it, and (when the field is optional) one to remove it on save.
 */
export function SecretInput({ field, isSet, edit, onChange }: Props) {
  const input = (
    <Field
      label={field.label}
      type="password"
      autoComplete="new-password"
      spellCheck={false}
      required={field.required && !isSet}
      maxLength={field.maxLength}
      value={edit.action === "set" ? edit.value : ""}
      onChange={(e) => onChange({ action: "set", value: e.target.value })}
    />
  );
  if (!isSet) return input;
  if (edit.action === "set") {
    return (
      <div className="space-y-1">
        {input}
        <Button
          variant="ghost"
          aria-label={`Keep the current ${field.label}`}
          onClick={() => onChange({ action: "keep" })}
        >
          Keep current
        </Button>
      </div>
    );
  }
  return (
    <div className="flex flex-wrap items-center gap-2 text-sm">
      <span className="font-medium text-slate-700">{field.label}</span>
      <span className="text-slate-500">
        {edit.action === "clear" ? "removed on save" : "set"} —
      </span>
      {edit.action === "clear" ? (
        <Button variant="ghost" onClick={() => onChange({ action: "keep" })}>
          Undo
        </Button>
      ) : (
        <>
          <Button
            variant="secondary"
            aria-label={`Replace ${field.label}`}
            onClick={() => onChange({ action: "set", value: "" })}
          >
            Replace
          </Button>
          {!field.required && (
            <Button
              variant="ghost"
              aria-label={`Remove ${field.label}`}
              onClick={() => onChange({ action: "clear" })}
            >
              Remove
            </Button>
          )}
        </>
      )}
    </div>
  );
}
