import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "../../../components/ui/button.tsx";
import { ConfirmDialog, Dialog } from "../../../components/ui/dialog.tsx";
import { OneTimeSecret } from "../../../components/ui/one-time-secret.tsx";
import { api } from "../../../lib/trpc.ts";
import { workflowQuery } from "./editor-api.ts";

/** The URL an incoming webhook posts to; the secret is its last segment (src/server/hooks.ts). */
export const hookUrl = (workflowId: string, secret: string) =>
  `${window.location.origin}/hooks/${encodeURIComponent(workflowId)}/${secret}`;

/**
 * The webhook trigger's address, with the secret hidden (it is stored only as a hash), and
 * for editors a rotation that shows the new one once.
 */
export function WebhookTrigger({ workflowId, canEdit }: { workflowId: string; canEdit: boolean }) {
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const rotate = useMutation({
    mutationFn: () => api.workflows.rotateWebhookSecret.mutate({ workflowId }),
    gcTime: 0,
    onSuccess: () => {
      setConfirming(false);
      return queryClient.invalidateQueries({ queryKey: workflowQuery(workflowId).queryKey });
    },
  });
  return (
    <section
      aria-label="Incoming webhook"
      className="flex items-center gap-3 rounded-md border border-slate-200 bg-white px-3 py-1.5 text-sm"
    >
      <span className="shrink-0 font-medium text-slate-700">Webhook:</span>
      {/* wraps rather than cut: at 1024 px the workflow's id in the path was cut off */}
      <code className="min-w-0 flex-1 break-all text-xs text-slate-600">
        POST {hookUrl(workflowId, "<secret>")}
      </code>
      {canEdit && (
        <Button variant="secondary" className="shrink-0" onClick={() => setConfirming(true)}>
          Rotate webhook secret
        </Button>
      )}
      <ConfirmDialog
        open={confirming}
        onOpenChange={setConfirming}
        title="Rotate the webhook secret?"
        description="The current URL stops working at once; senders need the new one."
        confirmLabel="Rotate"
        pending={rotate.isPending}
        onConfirm={() => rotate.mutate()}
      />
      <WebhookSecretDialog
        workflowId={workflowId}
        secret={rotate.data?.webhookSecret}
        onClose={() => rotate.reset()}
      />
    </section>
  );
}

/** The new webhook URL and its secret, shown once after a first save or a rotation. */
export function WebhookSecretDialog({
  workflowId,
  secret,
  onClose,
}: {
  workflowId: string;
  secret: string | undefined;
  onClose: () => void;
}) {
  return (
    <Dialog open={Boolean(secret)} onOpenChange={(open) => !open && onClose()} title="Webhook URL">
      {secret && (
        <div className="space-y-4">
          <OneTimeSecret label="Webhook URL" value={hookUrl(workflowId, secret)} />
          <OneTimeSecret
            label="Webhook secret"
            value={secret}
            notice="The secret alone (the URL's last part), e.g. for a secrets manager."
          />
          <div className="flex justify-end">
            <Button onClick={onClose}>Done</Button>
          </div>
        </div>
      )}
    </Dialog>
  );
}
