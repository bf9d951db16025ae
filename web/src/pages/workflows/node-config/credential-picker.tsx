import { useQuery } from "@tanstack/react-query";
import { useId } from "react";
import { credentialsQuery } from "../../credentials/credentials-api.ts";
import { control } from "./field-shell.tsx";
import type { NodeType } from "./types.ts";

/** Chooses the node's credential among those of a type the node accepts. */
export function CredentialPicker({
  accepts,
  value,
  readOnly,
  onChange,
}: {
  accepts: NonNullable<NodeType["credential"]>;
  value: string | undefined;
  readOnly: boolean;
  onChange: (credentialId: string | undefined) => void;
}) {
  const id = useId();
  const credentials = useQuery(credentialsQuery);
  const fitting = (credentials.data ?? []).filter((c) => accepts.types.includes(c.type));
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        Credential
        {accepts.required && (
          <span aria-hidden="true" className="text-red-600">
            {" "}
            *
          </span>
        )}
      </label>
      <select
        id={id}
        className={control}
        disabled={readOnly || credentials.isPending}
        value={value ?? ""}
        onChange={(e) => onChange(e.target.value || undefined)}
      >
        <option value="">{accepts.required ? "Choose…" : "None"}</option>
        {fitting.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name} ({c.type})
          </option>
        ))}
      </select>
      <p className="text-xs text-slate-500">Accepts {accepts.types.join(", ")}.</p>
    </div>
  );
}
