import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { useId, useState } from "react";
import { Field } from "../../../components/ui/field.tsx";
import { FormActions } from "../../../components/ui/form-actions.tsx";
import { FormError } from "../../../components/ui/states.tsx";
import { toast } from "../../../components/ui/toast.tsx";
import { api } from "../../../lib/trpc.ts";
import type { WorkflowSummary } from "./workflows-api.ts";

/** A new workflow: named here, then built in the editor it opens. */
export function CreateWorkflowForm({ onCancel }: { onCancel: () => void }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const create = useMutation({
    meta: { inlineError: true },
    mutationFn: () => api.workflows.create.mutate({ name, description }),
    onSuccess: async (created) => {
      toast.success(`Created ${name}`);
      await queryClient.invalidateQueries({ queryKey: ["workflows.list"] });
      if (created)
        await navigate({ to: "/workflows/$workflowId", params: { workflowId: created.id } });
    },
  });
  return (
    <form
      className="space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        create.mutate();
      }}
    >
      <Field label="Name" required value={name} onChange={(e) => setName(e.target.value)} />
      <DescriptionField value={description} onChange={setDescription} />
      <FormError error={create.error} />
      <FormActions submit="Create workflow" onCancel={onCancel} pending={create.isPending} />
    </form>
  );
}

/** Renames a workflow or changes its description; only what changed is sent. */
export function RenameWorkflowForm({
  workflow,
  onDone,
}: {
  workflow: WorkflowSummary;
  onDone: () => void;
}) {
  const queryClient = useQueryClient();
  const [name, setName] = useState(workflow.name);
  const [description, setDescription] = useState(workflow.description);
  const update = useMutation({
    meta: { inlineError: true },
    mutationFn: () =>
      api.workflows.update.mutate({
        workflowId: workflow.id,
        ...(name !== workflow.name && { name }),
        ...(description !== workflow.description && { description }),
      }),
    onSuccess: async () => {
      toast.success(`Saved ${name}`);
      await queryClient.invalidateQueries({ queryKey: ["workflows.list"] });
      onDone();
    },
  });
  const unchanged = name === workflow.name && description === workflow.description;
  return (
    <form
      className="space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        update.mutate();
      }}
    >
      <Field label="Name" required value={name} onChange={(e) => setName(e.target.value)} />
      <DescriptionField value={description} onChange={setDescription} />
      <FormError error={update.error} />
      <FormActions
        submit="Save"
        onCancel={onDone}
        pending={update.isPending}
        disabled={unchanged}
      />
    </form>
  );
}

function DescriptionField({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  const id = useId();
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        Description
      </label>
      <textarea
        id={id}
        rows={3}
        maxLength={5000}
        className="block w-full rounded-md border border-slate-300 px-3 py-2 text-sm focus:border-indigo-500 focus:outline-2 focus:outline-indigo-200"
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    </div>
  );
}
