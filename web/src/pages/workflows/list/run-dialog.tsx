import { useMutation } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { parsePayload } from "../../../components/payload/payload.ts";
import { PayloadField } from "../../../components/payload/payload-field.tsx";
import { Dialog } from "../../../components/ui/dialog.tsx";
import { FormActions } from "../../../components/ui/form-actions.tsx";
import { FormError } from "../../../components/ui/states.tsx";
import { toast } from "../../../components/ui/toast.tsx";
import { api } from "../../../lib/trpc.ts";

/** Runs a workflow's current version by hand with a JSON payload, then opens the execution. */
export function RunDialog({
  workflow,
  open,
  onOpenChange,
}: {
  workflow: { id: string; name: string };
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title={`Run ${workflow.name}`} size="wide">
      <RunForm workflowId={workflow.id} onCancel={() => onOpenChange(false)} />
    </Dialog>
  );
}

function RunForm({ workflowId, onCancel }: { workflowId: string; onCancel: () => void }) {
  const navigate = useNavigate();
  const [text, setText] = useState("{\n  \n}");
  const [parseError, setParseError] = useState<string | null>(null);
  const run = useMutation({
    meta: { inlineError: true },
    mutationFn: (payload: Record<string, unknown>) =>
      api.workflows.run.mutate({ workflowId, payload }),
    onSuccess: ({ executionId }) => {
      toast.success("Execution started");
      return navigate({ to: "/executions/$executionId", params: { executionId } });
    },
  });
  return (
    <form
      className="space-y-3"
      onSubmit={(event) => {
        event.preventDefault();
        const parsed = parsePayload(text);
        if ("error" in parsed) {
          setParseError(parsed.error);
          return;
        }
        setParseError(null);
        run.mutate(parsed.payload);
      }}
    >
      <PayloadField
        label="Payload (JSON)"
        hint={
          <>
            A JSON object; the workflow reads it as <code>trigger</code>.
          </>
        }
        rows={8}
        value={text}
        onChange={setText}
        error={parseError}
      />
      <FormError error={run.error} />
      <FormActions submit="Run now" onCancel={onCancel} pending={run.isPending} />
    </form>
  );
}
