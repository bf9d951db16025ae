import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "../../components/ui/button.tsx";
import { ConfirmDialog, Dialog } from "../../components/ui/dialog.tsx";
import { SelectField } from "../../components/ui/field.tsx";
import { FormActions } from "../../components/ui/form-actions.tsx";
import { OneTimeSecret } from "../../components/ui/one-time-secret.tsx";
import { FormError } from "../../components/ui/states.tsx";
import { usePermissions } from "../../lib/permissions.ts";
import { api } from "../../lib/trpc.ts";
import { type Endpoint, endpointQuery, when } from "./webhooks-api.ts";

const graceOptions = [
  { value: "0", label: "Stop signing with it now" },
  { value: String(3600), label: "1 hour" },
  { value: String(24 * 3600), label: "24 hours" },
  { value: String(7 * 24 * 3600), label: "7 days" },
];

type Shown = { kind: "revealed" | "rotated"; secret: string };

/** Reveal (OWNER/ADMIN, audited) and rotation of the endpoint's signing secret. */
export function EndpointSecret({ endpoint }: { endpoint: Endpoint }) {
  const { can } = usePermissions();
  const endpointId = endpoint.id;
  const queryClient = useQueryClient();
  const [confirmReveal, setConfirmReveal] = useState(false);
  const [rotating, setRotating] = useState(false);
  const [grace, setGrace] = useState(String(24 * 3600));
  const [shown, setShown] = useState<Shown | null>(null);
  const reveal = useMutation({
    mutationFn: () => api.webhooks.revealSecret.mutate({ endpointId }),
    meta: { inlineError: true },
    gcTime: 0,
    onSuccess: ({ secret }) => {
      reveal.reset();
      setConfirmReveal(false);
      setShown({ kind: "revealed", secret });
    },
  });
  const rotate = useMutation({
    mutationFn: () => api.webhooks.rotateSecret.mutate({ endpointId, graceSeconds: Number(grace) }),
    meta: { inlineError: true },
    gcTime: 0,
    onSuccess: ({ secret }) => {
      rotate.reset();
      setRotating(false);
      setShown({ kind: "rotated", secret });
      return queryClient.invalidateQueries({ queryKey: endpointQuery(endpointId).queryKey });
    },
  });
  return (
    <section className="space-y-3">
      <h2 className="text-lg font-medium">Signing secret</h2>
      {endpoint.previousSecretExpiresAt && (
        <p className="text-sm text-slate-600">
          The previous secret also signs until {when(endpoint.previousSecretExpiresAt)}.
        </p>
      )}
      <div className="flex flex-wrap gap-2">
        {can("webhook:reveal_secret") && (
          <Button variant="secondary" onClick={() => setConfirmReveal(true)}>
            Reveal secret
          </Button>
        )}
        {can("webhook:manage") && (
          <Button variant="secondary" onClick={() => setRotating(true)}>
            Rotate secret
          </Button>
        )}
      </div>
      <ConfirmDialog
        open={confirmReveal}
        onOpenChange={(open) => {
          setConfirmReveal(open);
          if (!open) reveal.reset();
        }}
        title="Reveal the signing secret?"
        description="Anyone who sees it can forge events from this organization. Revealing it is recorded in the audit log."
        confirmLabel="Reveal"
        pending={reveal.isPending}
        error={reveal.error}
        onConfirm={() => reveal.mutate()}
      />
      <Dialog
        open={rotating}
        onOpenChange={(open) => {
          if (open) return;
          rotate.reset();
          setRotating(false);
        }}
        title="Rotate the signing secret?"
      >
        <form
          className="space-y-4"
          onSubmit={(event) => {
            event.preventDefault();
            rotate.mutate();
          }}
        >
          <p className="text-sm text-slate-600">
            A new secret signs from now on. During the grace period deliveries carry both
            signatures, so the receiver can switch over.
          </p>
          <SelectField
            label="Old secret keeps signing for"
            value={grace}
            onChange={(e) => setGrace(e.target.value)}
            options={graceOptions}
          />
          <FormError error={rotate.error} />
          <FormActions
            submit="Rotate secret"
            onCancel={() => setRotating(false)}
            pending={rotate.isPending}
          />
        </form>
      </Dialog>
      <Dialog
        open={shown !== null}
        onOpenChange={(open) => !open && setShown(null)}
        title={shown?.kind === "rotated" ? "New signing secret" : "Signing secret"}
      >
        {shown && (
          <OneTimeSecret
            label="Signing secret"
            value={shown.secret}
            notice={
              shown.kind === "revealed"
                ? "Keep it secret: anyone holding it can sign events as this organization."
                : undefined
            }
          />
        )}
        <div className="mt-4 flex justify-end">
          <Button variant="secondary" onClick={() => setShown(null)}>
            Done
          </Button>
        </div>
      </Dialog>
    </section>
  );
}
