import { Button } from "./button.tsx";
import { Field } from "./field.tsx";
import { toast } from "./toast.tsx";

/**
 * A secret the server returns this once (an API key, a signing secret): a warning that it
 * will not be shown again, the value in a read-only labelled field, and a copy button.
 */
export function OneTimeSecret({
  label,
  value,
  notice = "Copy it now and keep it somewhere safe: it won't be shown again.",
}: {
  label: string;
  value: string;
  /** Replaces the "won't be shown again" warning, for a secret that may be revealed again. */
  notice?: string;
}) {
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      toast.success(`${label} copied`);
    } catch {
      toast.error("Could not copy: select the text and copy it yourself");
    }
  };
  return (
    <div className="space-y-3 rounded-md border border-amber-300 bg-amber-50 p-4">
      <p role="alert" className="text-sm font-medium text-amber-900">
        {notice}
      </p>
      <Field
        label={label}
        value={value}
        readOnly
        spellCheck={false}
        className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 font-mono text-xs"
        onFocus={(e) => e.target.select()}
      />
      <Button onClick={copy} aria-label={`Copy ${label}`}>
        Copy
      </Button>
    </div>
  );
}
