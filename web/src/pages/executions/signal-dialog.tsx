import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { Button } from "../../components/ui/button.tsx";
import { Dialog } from "../../components/ui/dialog.tsx";
import { Field } from "../../components/ui/field.tsx";
import { FormError } from "../../components/ui/states.tsx";
import { toast } from "../../components/ui/toast.tsx";
import { api } from "../../lib/trpc.ts";
import { parsePayload } from "../workflows/list/payload.ts";

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
  const payloadId = useId();
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
      <div className="space-y-1">
        <label htmlFor={payloadId} className="block text-sm font-medium text-slate-700">
          Event payload (JSON)
        </label>
        <textarea
          id={payloadId}
          rows={6}
          spellCheck={false}
          aria-invalid={parseError ? true : undefined}
          className="block w-full rounded-md border border-slate-300 px-3 py-2 font-mono text-sm focus:border-indigo-500 focus:outline-2 focus:outline-indigo-200"
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
      </div>
      {parseError && (
        <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-800">
          {parseError}
        </p>
      )}
      <FormError error={signal.error} />
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={onDone}>
          Cancel
        </Button>
        <Button type="submit" pending={signal.isPending}>
          Send signal
        </Button>
      </div>
    </form>
  );
}
