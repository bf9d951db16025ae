import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { CheckboxField } from "../../components/ui/checkbox.tsx";
import { Field, SelectField } from "../../components/ui/field.tsx";
import { FormActions } from "../../components/ui/form-actions.tsx";
import { FormError } from "../../components/ui/states.tsx";
import { toast } from "../../components/ui/toast.tsx";
import { api } from "../../lib/trpc.ts";
import type { Credential, CredentialType } from "./credentials-api.ts";
import {
  applies,
  type FieldSpec,
  type FormValue,
  type JsonSchema,
  readSecret,
  readSettings,
  toApiValue,
  toFormValue,
} from "./schema.ts";
import { SecretInput } from "./secret-input.tsx";

/** What the form does with one secret field on save: leave it, set it, or remove it. */
export type SecretEdit =
  | { action: "keep" }
  | { action: "set"; value: string }
  | { action: "clear" };

interface Props {
  types: CredentialType[];
  /** Absent: a new credential. */
  credential?: Credential;
  onDone: () => void;
}

/**
 * Create or edit a credential; the fields come from the type's schemas. Secrets are
 * write-only: editing shows which are set, never their values, and sends only those replaced
 * or removed (an omitted secret keeps its value on the server).
 */
export function CredentialForm({ types, credential, onDone }: Props) {
  const queryClient = useQueryClient();
  const [typeId, setTypeId] = useState(credential?.type ?? types[0]?.id ?? "");
  const type = types.find((t) => t.id === typeId);
  const shape = readSettings((type?.settings ?? {}) as JsonSchema);
  const allSecretFields = readSecret((type?.secret ?? {}) as JsonSchema);
  const stored = (credential?.settings ?? {}) as Record<string, unknown>;
  const storedSecrets = new Set(credential?.secretFields ?? []);

  const [name, setName] = useState(credential?.name ?? "");
  const discriminatorKey = shape.discriminator?.key;
  const [variant, setVariant] = useState<string | undefined>(
    discriminatorKey
      ? String(stored[discriminatorKey] ?? shape.discriminator?.values[0])
      : undefined,
  );
  const fields = shape.fieldsFor(variant);
  const [values, setValues] = useState<Record<string, FormValue>>(() =>
    Object.fromEntries(fields.map((f) => [f.key, toFormValue(f, stored[f.key])])),
  );
  const [secrets, setSecrets] = useState<Record<string, SecretEdit>>({});
  // Only the secret fields of the chosen variant (the API refuses the others).
  const current = { ...values, ...(discriminatorKey ? { [discriminatorKey]: variant } : {}) };
  const secretFields = allSecretFields.filter((field) => applies(field, current));
  const secretApplies = (key: string) => secretFields.some((field) => field.key === key);

  const settingsPayload = () => {
    const out: Record<string, unknown> = {};
    if (discriminatorKey) out[discriminatorKey] = variant;
    for (const field of fields) {
      const value = toApiValue(field, values[field.key] ?? toFormValue(field, undefined));
      if (value !== undefined) out[field.key] = value;
    }
    return out;
  };

  const save = useMutation({
    meta: { inlineError: true },
    mutationFn: async () => {
      const settings = settingsPayload();
      if (!credential) {
        const secret = Object.fromEntries(
          Object.entries(secrets).flatMap(([k, e]) =>
            e.action === "set" && secretApplies(k) ? [[k, e.value]] : [],
          ),
        );
        return api.credentials.create.mutate({ name, type: typeId, settings, secret });
      }
      // Settings of another variant that no longer apply are removed (null).
      for (const key of Object.keys(stored)) if (!(key in settings)) settings[key] = null;
      const secret: Record<string, string | null> = {};
      for (const [key, edit] of Object.entries(secrets)) {
        if (!secretApplies(key)) continue;
        if (edit.action === "set" && edit.value !== "") secret[key] = edit.value;
        if (edit.action === "clear") secret[key] = null;
      }
      // A stored secret of another variant no longer applies: removed, like its settings.
      for (const key of storedSecrets) if (!secretApplies(key)) secret[key] = null;
      return api.credentials.update.mutate({
        credentialId: credential.id,
        name,
        settings,
        ...(Object.keys(secret).length ? { secret } : {}),
      });
    },
    onSuccess: async (saved) => {
      toast.success(credential ? `Saved ${saved?.name}` : `Created ${saved?.name}`);
      await queryClient.invalidateQueries({ queryKey: ["credentials.list"] });
      onDone();
    },
  });

  return (
    <form
      className="space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate();
      }}
    >
      <Field label="Name" required value={name} onChange={(e) => setName(e.target.value)} />
      {credential ? (
        <p className="text-sm text-slate-600">Type: {type?.displayName ?? credential.type}</p>
      ) : (
        <SelectField
          label="Type"
          value={typeId}
          onChange={(e) => {
            setTypeId(e.target.value);
            setValues({});
            setSecrets({});
            const next = types.find((t) => t.id === e.target.value);
            const nextShape = readSettings((next?.settings ?? {}) as JsonSchema);
            setVariant(nextShape.discriminator?.values[0]);
          }}
          options={types.map((t) => ({ value: t.id, label: t.displayName }))}
        />
      )}
      {shape.discriminator && (
        <SelectField
          label={shape.discriminator.label}
          value={variant}
          onChange={(e) => setVariant(e.target.value)}
          options={shape.discriminator.values.map((v) => ({ value: v, label: v }))}
        />
      )}
      {fields.map((field) => (
        <SettingInput
          key={`${typeId}.${field.key}`}
          field={field}
          value={values[field.key] ?? toFormValue(field, undefined)}
          onChange={(value) => setValues((all) => ({ ...all, [field.key]: value }))}
        />
      ))}
      {secretFields.length > 0 && (
        <fieldset className="space-y-3 rounded-md border border-slate-200 p-3">
          <legend className="px-1 text-sm font-medium text-slate-700">Secret</legend>
          <p className="text-xs text-slate-500">
            Stored encrypted and never shown again, not even to you.
          </p>
          {secretFields.map((field) => (
            <SecretInput
              key={`${typeId}.${field.key}`}
              field={field}
              isSet={storedSecrets.has(field.key)}
              edit={secrets[field.key] ?? { action: "keep" }}
              onChange={(edit) => setSecrets((all) => ({ ...all, [field.key]: edit }))}
            />
          ))}
        </fieldset>
      )}
      <FormError error={save.error} />
      <FormActions
        submit={credential ? "Save changes" : "Create credential"}
        onCancel={onDone}
        pending={save.isPending}
      />
    </form>
  );
}

function SettingInput({
  field,
  value,
  onChange,
}: {
  field: FieldSpec;
  value: FormValue;
  onChange: (value: FormValue) => void;
}) {
  if (field.kind === "boolean") {
    return (
      <CheckboxField
        label={field.label}
        checked={value === true}
        onChange={(e) => onChange(e.target.checked)}
      />
    );
  }
  if (field.kind === "choice") {
    return (
      <SelectField
        label={field.label}
        value={String(value)}
        onChange={(e) => onChange(e.target.value)}
        options={[
          ...(value === "" ? [{ value: "", label: "Choose…" }] : []),
          ...(field.options ?? []).map((o) => ({ value: o, label: o })),
        ]}
      />
    );
  }
  const numeric = field.kind === "integer" || field.kind === "number";
  return (
    <Field
      label={field.label}
      type={numeric ? "number" : "text"}
      required={field.required}
      min={field.min}
      max={field.max}
      step={field.kind === "integer" ? 1 : undefined}
      maxLength={field.maxLength}
      value={String(value)}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}
