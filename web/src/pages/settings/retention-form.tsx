import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Button } from "../../components/ui/button.tsx";
import { CheckboxField } from "../../components/ui/checkbox.tsx";
import { Field } from "../../components/ui/field.tsx";
import { FormError } from "../../components/ui/states.tsx";
import { toast } from "../../components/ui/toast.tsx";
import { api, isApiError } from "../../lib/trpc.ts";
import { type RetentionValues, retentionQueryKey } from "./retention-api.ts";

type Key = keyof RetentionValues;

/** The API's refusal per field (`details.issues` of a 400), so each shows at its input. */
function issuesByField(error: unknown): Partial<Record<Key, string>> {
  if (!isApiError(error)) return {};
  const details = error.data?.details as { issues?: { path: string; message: string }[] };
  return Object.fromEntries((details?.issues ?? []).map((issue) => [issue.path, issue.message]));
}

/** The boxes left empty (a number input is also empty when what it holds is no number). */
function emptyBoxes(boxes: Partial<Record<Key, string>>): Partial<Record<Key, string>> {
  const empty = Object.entries(boxes).filter(([, text]) => text?.trim() === "");
  return Object.fromEntries(empty.map(([key]) => [key, "enter a number"]));
}

/** Replaces the organization's retention settings; the API checks the values. */
export function RetentionForm({ values }: { values: RetentionValues }) {
  const [keepDays, setKeepDays] = useState(String(values.keepDays));
  const [keepFailedDays, setKeepFailedDays] = useState(String(values.keepFailedDays));
  const [perWorkflow, setPerWorkflow] = useState(String(values.keepPerWorkflow ?? ""));
  const [noCountLimit, setNoCountLimit] = useState(values.keepPerWorkflow === null);
  const queryClient = useQueryClient();
  const save = useMutation({
    mutationFn: (input: RetentionValues) => api.orgs.retention.set.mutate(input),
    meta: { inlineError: true },
    onSuccess: (view) => {
      queryClient.setQueryData(retentionQueryKey, view);
      toast.success("Retention settings saved");
    },
  });
  const [missing, setMissing] = useState<Partial<Record<Key, string>>>({});
  const issues = { ...issuesByField(save.error), ...missing };
  const placed = Object.keys(issues).length > 0;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const empty = emptyBoxes({
      keepDays,
      keepFailedDays,
      ...(noCountLimit ? {} : { keepPerWorkflow: perWorkflow }),
    });
    setMissing(empty);
    if (Object.keys(empty).length > 0) return save.reset();
    save.mutate({
      keepDays: Number(keepDays),
      keepFailedDays: Number(keepFailedDays),
      keepPerWorkflow: noCountLimit ? null : Number(perWorkflow),
    });
  };
  return (
    <section aria-labelledby="retention-change" className="space-y-3">
      <h2 id="retention-change" className="text-lg font-medium">
        Change settings
      </h2>
      <form onSubmit={submit} noValidate className="max-w-md space-y-4">
        <Field
          label="Keep succeeded and cancelled executions (days)"
          type="number"
          inputMode="numeric"
          value={keepDays}
          onChange={(e) => setKeepDays(e.target.value)}
          error={issues.keepDays}
        />
        <Field
          label="Keep failed executions (days)"
          type="number"
          inputMode="numeric"
          hint="Failed executions are often kept longer, to look into them."
          value={keepFailedDays}
          onChange={(e) => setKeepFailedDays(e.target.value)}
          error={issues.keepFailedDays}
        />
        <Field
          label="Newest executions kept per workflow"
          type="number"
          inputMode="numeric"
          hint="Older succeeded and cancelled executions beyond this count are deleted early."
          value={perWorkflow}
          disabled={noCountLimit}
          onChange={(e) => setPerWorkflow(e.target.value)}
          error={issues.keepPerWorkflow}
        />
        <CheckboxField
          label="No count limit per workflow"
          checked={noCountLimit}
          onChange={(e) => setNoCountLimit(e.target.checked)}
        />
        {/* a refusal that names no field here is shown whole */}
        {!placed && <FormError error={save.error} />}
        <Button type="submit" pending={save.isPending}>
          Save settings
        </Button>
      </form>
    </section>
  );
}
