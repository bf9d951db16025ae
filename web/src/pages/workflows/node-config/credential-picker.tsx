import { useQuery } from "@tanstack/react-query";
import { useId } from "react";
import { errorMessage } from "../../../lib/errors.ts";
import { credentialsQuery } from "../../credentials/credentials-api.ts";
import { control, describedBy, FieldFooter, RequiredMark } from "./field-shell.tsx";
import type { NodeType } from "./types.ts";

/**
 * Chooses the node's credential among those of a type the node accepts that the member may
 * use (the server checks the same again on save). A credential already set that the member
 * cannot see or use stays selected, named only by its id.
 */
export function CredentialPicker({
  accepts,
  value,
  readOnly,
  errors,
  onChange,
}: {
  accepts: NonNullable<NodeType["credential"]>;
  value: string | undefined;
  readOnly: boolean;
  errors: string[];
  onChange: (credentialId: string | undefined) => void;
}) {
  const id = useId();
  const credentials = useQuery(credentialsQuery);
  const usable = (credentials.data ?? []).filter((c) => c.canUse && accepts.types.includes(c.type));
  const unlisted = value !== undefined && !usable.some((c) => c.id === value);
  const hint = credentials.error
    ? `Credentials could not be loaded: ${errorMessage(credentials.error)}`
    : usable.length === 0 && !credentials.isPending
      ? `No credential of type ${accepts.types.join(", ")} that you may use yet.`
      : `Accepts ${accepts.types.join(", ")}.`;
  return (
    <div className="space-y-1">
      <div className="flex items-baseline gap-1">
        <label htmlFor={id} className="text-sm font-medium text-slate-700">
          Credential
        </label>
        {accepts.required && <RequiredMark />}
      </div>
      <select
        id={id}
        className={control}
        disabled={readOnly || credentials.isPending}
        value={value ?? ""}
        onChange={(e) => onChange(e.target.value || undefined)}
        aria-describedby={describedBy(id, true, errors)}
        aria-invalid={errors.length > 0 || undefined}
        aria-required={accepts.required || undefined}
      >
        <option value="">{accepts.required ? "Choose…" : "None"}</option>
        {usable.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name} ({c.type})
          </option>
        ))}
        {unlisted && <option value={value}>{`Credential ${value} (not available to you)`}</option>}
      </select>
      <FieldFooter id={id} hint={hint} errors={errors} />
    </div>
  );
}
