import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { parsePayload } from "../../components/payload/payload.ts";
import { PayloadField } from "../../components/payload/payload-field.tsx";
import { Dialog } from "../../components/ui/dialog.tsx";
import { Field } from "../../components/ui/field.tsx";
import { FormActions } from "../../components/ui/form-actions.tsx";
import { FormError } from "../../components/ui/states.tsx";
import { toast } from "../../components/ui/toast.tsx";
import { api } from "../../lib/trpc.ts";

/** Resumes a node waiting for an event: the key it waits on and the event's JSON payload. */
export function SignalDialog({
  executionId,
  waitKey,
  open,
  onOpenChange,
}: {
  executionId: string;
  waitKey: string;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title="Send a signal" size="wide">
      <SignalForm executionId={executionId} waitKey={waitKey} onDone={() => onOpenChange(false)} />
    </Dialog>
  );
}

function SignalForm({
  executionId,
  waitKey,
  onDone,
}: {
  executionId: string;
  waitKey: string;
  onDone: () => void;
}) {
  const queryClient = useQueryClient();
  const [key, setKey] = useState(waitKey);
  const [text, setText] = useState("{}");
  const [parseError, setParseError] = useState<string | null>(null);
  const signal = useMutation({
    meta: { inlineError: true },
    mutationFn: (payload: Record<string, unknown>) =>
      api.executions.signal.mutate({ executionId, key, payload }),
    onSuccess: async () => {
      toast.success("Signal delivered");
      await queryClient.invalidateQueries({ queryKey: ["executions.get", executionId] });
      onDone();
    },
  });
  return (
    <form
      className="space-y-3"
      onSubmit={(event) => {
        event.preventDefault();
        const parsed = parsePayload(text);
        setParseError("error" in parsed ? parsed.error : null);
        if (!("error" in parsed)) signal.mutate(parsed.payload);
      }}
    >
      <Field label="Key" required value={key} onChange={(e) => setKey(e.target.value)} />
      <PayloadField
        label="Event payload (JSON)"
        rows={6}
        value={text}
        onChange={setText}
        error={parseError}
      />
      <FormError error={signal.error} />
      <FormActions submit="Send signal" onCancel={onDone} pending={signal.isPending} />
    </form>
  );
}
