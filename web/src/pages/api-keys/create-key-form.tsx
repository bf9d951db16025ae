import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { type ApiScope, apiScopeNames, apiScopes } from "../../../../src/access/statements.ts";
import { Button } from "../../components/ui/button.tsx";
import { CheckboxField } from "../../components/ui/checkbox.tsx";
import { Field, SelectField } from "../../components/ui/field.tsx";
import { FormError } from "../../components/ui/states.tsx";
import { api } from "../../lib/trpc.ts";
import { apiKeysQueryKey } from "./api-keys-api.ts";

const DAY = 24 * 3600;
const expiryOptions = [
  { value: "never", label: "Never" },
  { value: String(30 * DAY), label: "In 30 days" },
  { value: String(90 * DAY), label: "In 90 days" },
  { value: String(365 * DAY), label: "In 1 year" },
  { value: "date", label: "On a date…" },
];

/** The end of the chosen day in the browser's time zone. */
const endOfDay = (date: string) => new Date(`${date}T23:59:59`);

/** Name, scopes and expiry of a new key; the issued key goes to `onIssued` to be shown once. */
export function CreateKeyForm({ onIssued }: { onIssued: (key: string) => void }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<ApiScope[]>([]);
  const [expiry, setExpiry] = useState("never");
  const [date, setDate] = useState("");
  const create = useMutation({
    mutationFn: () =>
      api.apiKeys.create.mutate({
        name,
        scopes,
        ...(expiry === "date" && { expiresAt: endOfDay(date) }),
        ...(expiry !== "date" && expiry !== "never" && { expiresInSeconds: Number(expiry) }),
      }),
    meta: { inlineError: true },
    gcTime: 0,
    onSuccess: (issued) => {
      setName("");
      setScopes([]);
      setExpiry("never");
      setDate("");
      create.reset(); // the full key lives only in the reveal dialog
      onIssued(issued.key);
      return queryClient.invalidateQueries({ queryKey: apiKeysQueryKey });
    },
  });
  const toggle = (scope: ApiScope, on: boolean) =>
    setScopes((current) =>
      on ? [...current, scope] : current.filter((existing) => existing !== scope),
    );
  return (
    <section className="space-y-3">
      <h2 className="text-lg font-medium">Create an API key</h2>
      <form
        className="space-y-4 rounded-md border border-slate-200 bg-white p-4"
        onSubmit={(event) => {
          event.preventDefault();
          create.mutate();
        }}
      >
        <div className="w-80">
          <Field
            label="Key name"
            required
            maxLength={100}
            value={name}
            onChange={(e) => setName(e.target.value)}
            hint="Who or what uses it, e.g. “CI pipeline”."
          />
        </div>
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium text-slate-700">Scopes</legend>
          {apiScopeNames.map((scope) => (
            <div key={scope} className="flex items-baseline gap-3">
              <CheckboxField
                label={scope}
                checked={scopes.includes(scope)}
                onChange={(e) => toggle(scope, e.target.checked)}
              />
              <span className="text-xs text-slate-500">allows {apiScopes[scope].join(", ")}</span>
            </div>
          ))}
        </fieldset>
        <div className="flex flex-wrap items-end gap-3">
          <SelectField
            label="Expires"
            value={expiry}
            onChange={(e) => setExpiry(e.target.value)}
            options={expiryOptions}
          />
          {expiry === "date" && (
            <Field
              label="Expiry date"
              type="date"
              required
              value={date}
              onChange={(e) => setDate(e.target.value)}
            />
          )}
        </div>
        <FormError error={create.error} />
        <Button type="submit" pending={create.isPending}>
          Create API key
        </Button>
      </form>
    </section>
  );
}
