import { useId, useRef, useState } from "react";
import { Button } from "../../../components/ui/button.tsx";
import { control, useParamForm } from "./field-shell.tsx";
import { ParamInput } from "./param-input.tsx";
import { childPath, type ParamField } from "./parameter-schema.ts";

interface Row {
  id: number;
  key: string;
  value: unknown;
}

/**
 * A record (HTTP headers, a transform's fields) as rows of name and value. Rows are kept
 * while a name is empty or repeated, so typing never loses a value; the record sent on has
 * the named rows.
 */
export function KeyValueInput({
  path,
  item,
  value,
  onChange,
}: {
  path: string;
  item: ParamField;
  value: Record<string, unknown>;
  onChange: (value: Record<string, unknown>) => void;
}) {
  const { readOnly } = useParamForm();
  const baseId = useId();
  const nextId = useRef(0);
  const [rows, setRows] = useState<Row[]>(() =>
    Object.entries(value).map(([key, v]) => ({ id: nextId.current++, key, value: v })),
  );
  const update = (next: Row[]) => {
    setRows(next);
    onChange(Object.fromEntries(next.filter((r) => r.key !== "").map((r) => [r.key, r.value])));
  };
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(row.key, (counts.get(row.key) ?? 0) + 1);

  return (
    <div className="space-y-3">
      {rows.length === 0 && <p className="text-xs text-slate-500">No entries.</p>}
      {rows.map((row, index) => {
        const keyId = `${baseId}-${row.id}`;
        const keyLabel = `${path} name ${index + 1}`;
        return (
          <div key={row.id} className="space-y-2 rounded-md border border-slate-100 p-2">
            <div className="flex items-end gap-2">
              <div className="flex-1 space-y-1">
                <label htmlFor={keyId} className="block font-mono text-xs text-slate-600">
                  {keyLabel}
                </label>
                <input
                  id={keyId}
                  className={control}
                  disabled={readOnly}
                  value={row.key}
                  onChange={(e) =>
                    update(rows.map((r) => (r.id === row.id ? { ...r, key: e.target.value } : r)))
                  }
                  aria-invalid={(counts.get(row.key) ?? 0) > 1 || undefined}
                />
              </div>
              {!readOnly && (
                <Button
                  variant="ghost"
                  aria-label={`Remove row ${index + 1} of ${path}`}
                  onClick={() => update(rows.filter((r) => r.id !== row.id))}
                >
                  ✕
                </Button>
              )}
            </div>
            {(counts.get(row.key) ?? 0) > 1 && (
              <p className="text-xs text-red-700">Repeated name: only the last one is kept.</p>
            )}
            <ParamInput
              spec={{ key: row.key, required: false, field: item }}
              path={row.key ? childPath(path, row.key) : `${path} value ${index + 1}`}
              value={row.value}
              onChange={(v) =>
                update(rows.map((r) => (r.id === row.id ? { ...r, value: v ?? "" } : r)))
              }
            />
          </div>
        );
      })}
      {!readOnly && (
        <Button
          variant="secondary"
          onClick={() => setRows([...rows, { id: nextId.current++, key: "", value: "" }])}
        >
          Add to {path}
        </Button>
      )}
    </div>
  );
}

/** An array of simple values (assignees, query values), one row each. */
export function ListInput({
  path,
  item,
  value,
  onChange,
}: {
  path: string;
  item: ParamField;
  value: unknown[];
  onChange: (value: unknown[]) => void;
}) {
  const { readOnly } = useParamForm();
  const empty = item.kind === "boolean" ? false : "";
  // Rows keep an identity across removals, so a row's own state (JSON text) stays with it.
  const nextId = useRef(0);
  const ids = useRef<number[]>([]);
  while (ids.current.length < value.length) ids.current.push(nextId.current++);
  ids.current.length = value.length;
  return (
    <div className="space-y-3">
      {value.length === 0 && <p className="text-xs text-slate-500">No items.</p>}
      {value.map((entry, index) => (
        <div key={ids.current[index]} className="grid grid-cols-[1fr_auto] items-start gap-2">
          <ParamInput
            spec={{ key: String(index), required: false, field: item }}
            path={childPath(path, index)}
            value={entry}
            onChange={(v) => onChange(value.map((old, i) => (i === index ? (v ?? empty) : old)))}
          />
          {!readOnly && (
            <Button
              variant="ghost"
              className="mt-5"
              aria-label={`Remove item ${index + 1} of ${path}`}
              onClick={() => {
                ids.current.splice(index, 1);
                onChange(value.filter((_, i) => i !== index));
              }}
            >
              ✕
            </Button>
          )}
        </div>
      ))}
      {!readOnly && (
        <Button variant="secondary" onClick={() => onChange([...value, empty])}>
          Add to {path}
        </Button>
      )}
    </div>
  );
}
