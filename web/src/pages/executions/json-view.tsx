/** JSON as the server sent it (already redacted and size-capped), escaped by React as text. */
export function JsonView({ label, value }: { label: string; value: unknown }) {
  return (
    <figure className="space-y-1">
      <figcaption className="text-xs font-semibold text-slate-500">{label}</figcaption>
      <pre className="max-h-80 overflow-auto rounded-md bg-slate-900 p-3 text-xs text-slate-100">
        {value === null || value === undefined ? "—" : JSON.stringify(value, null, 2)}
      </pre>
    </figure>
  );
}
