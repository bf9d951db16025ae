import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Badge } from "../../components/ui/badge.tsx";
import { Button } from "../../components/ui/button.tsx";
import { ConfirmDialog, Dialog } from "../../components/ui/dialog.tsx";
import { SelectField } from "../../components/ui/field.tsx";
import { FormActions } from "../../components/ui/form-actions.tsx";
import { OneTimeSecret } from "../../components/ui/one-time-secret.tsx";
import { EmptyState, ErrorState, FormError, Spinner } from "../../components/ui/states.tsx";
import { Cell, Table } from "../../components/ui/table.tsx";
import { toast } from "../../components/ui/toast.tsx";
import { usePermissions } from "../../lib/permissions.ts";
import { api } from "../../lib/trpc.ts";
import { apiKeysQuery, apiKeysQueryKey, day, type ListedKey, when } from "./api-keys-api.ts";
import { CreateKeyForm } from "./create-key-form.tsx";

const statusTone = { active: "success", expired: "warning", revoked: "neutral" } as const;

const overlapOptions = [
  { value: "0", label: "Stop it now" },
  { value: String(3600), label: "1 hour" },
  { value: String(24 * 3600), label: "24 hours" },
  { value: String(7 * 24 * 3600), label: "7 days" },
];

/** OWNER/ADMIN only (the nav entry needs apiKey:manage, the server checks every call). */
export function ApiKeysPage() {
  const { can } = usePermissions();
  const keys = useQuery(apiKeysQuery);
  const [revealed, setRevealed] = useState<{ title: string; key: string } | null>(null);
  const [rolling, setRolling] = useState<ListedKey | null>(null);
  const [revoking, setRevoking] = useState<ListedKey | null>(null);
  return (
    <div className="max-w-5xl space-y-8">
      <div>
        <h1 className="text-2xl font-semibold">API keys</h1>
        <p className="mt-1 text-sm text-slate-600">
          Programs call the REST API (<code>/api/v1</code>) with a key as{" "}
          <code>Authorization: Bearer …</code>; a key can do only what its scopes allow.
        </p>
      </div>
      {/* Whoever opens the address without the right sees only the API's refusal below. */}
      {can("apiKey:manage") && (
        <CreateKeyForm onIssued={(key) => setRevealed({ title: "Your new API key", key })} />
      )}
      <section className="space-y-3">
        <h2 className="text-lg font-medium">Keys</h2>
        {keys.isPending && <Spinner />}
        {keys.isError && <ErrorState error={keys.error} onRetry={() => keys.refetch()} />}
        {keys.data?.length === 0 && <EmptyState title="No API keys yet" />}
        {!!keys.data?.length && (
          <Table
            caption="API keys"
            head={[
              "Name",
              "Prefix",
              "Scopes",
              "Created",
              "Expires",
              "Last used",
              "Status",
              "Actions",
            ]}
          >
            {keys.data.map((key) => (
              <tr key={key.id}>
                <Cell>{key.name}</Cell>
                <Cell>
                  <code className="text-xs">{key.prefix}…</code>
                </Cell>
                <Cell>{key.scopes.join(", ")}</Cell>
                <Cell>{day(key.createdAt)}</Cell>
                <Cell>{key.expiresAt ? day(key.expiresAt) : "Never"}</Cell>
                <Cell>
                  {key.lastUsedAt ? when(key.lastUsedAt) : "Never"}
                  {key.lastUsedIp && (
                    <span className="block text-xs text-slate-500">from {key.lastUsedIp}</span>
                  )}
                </Cell>
                <Cell>
                  <Badge tone={statusTone[key.status]}>{key.status}</Badge>
                </Cell>
                <Cell>
                  {key.status === "active" && (
                    <div className="flex gap-1">
                      <Button
                        variant="ghost"
                        aria-label={`Roll ${key.name}`}
                        onClick={() => setRolling(key)}
                      >
                        Roll
                      </Button>
                      <Button
                        variant="ghost"
                        aria-label={`Revoke ${key.name}`}
                        onClick={() => setRevoking(key)}
                      >
                        Revoke
                      </Button>
                    </div>
                  )}
                </Cell>
              </tr>
            ))}
          </Table>
        )}
      </section>
      <RollDialog
        apiKey={rolling}
        onClose={() => setRolling(null)}
        onIssued={(key) => setRevealed({ title: "Your rolled API key", key })}
      />
      <RevokeDialog apiKey={revoking} onClose={() => setRevoking(null)} />
      <Dialog
        open={revealed !== null}
        onOpenChange={(open) => !open && setRevealed(null)}
        title={revealed?.title ?? ""}
      >
        {revealed && <OneTimeSecret label="API key" value={revealed.key} />}
        <div className="mt-4 flex justify-end">
          <Button variant="secondary" onClick={() => setRevealed(null)}>
            Done
          </Button>
        </div>
      </Dialog>
    </div>
  );
}

function RollDialog(props: {
  apiKey: ListedKey | null;
  onClose: () => void;
  onIssued: (key: string) => void;
}) {
  const { apiKey, onClose, onIssued } = props;
  const queryClient = useQueryClient();
  const [overlap, setOverlap] = useState(String(24 * 3600));
  const roll = useMutation({
    mutationFn: (keyId: string) =>
      api.apiKeys.roll.mutate({ keyId, oldKeyExpiresInSeconds: Number(overlap) }),
    meta: { inlineError: true },
    gcTime: 0,
    onSuccess: (issued) => {
      roll.reset();
      onClose();
      onIssued(issued.key);
      return queryClient.invalidateQueries({ queryKey: apiKeysQueryKey });
    },
  });
  return (
    <Dialog
      open={apiKey !== null}
      onOpenChange={(open) => {
        if (open) return;
        roll.reset();
        onClose();
      }}
      title={`Roll ${apiKey?.name ?? "key"}?`}
    >
      <form
        className="space-y-4"
        onSubmit={(event) => {
          event.preventDefault();
          if (apiKey) roll.mutate(apiKey.id);
        }}
      >
        <p className="text-sm text-slate-600">
          A new key with the same name, scopes and expiry replaces this one. The old key can keep
          working for a while so callers can switch over.
        </p>
        <SelectField
          label="Old key keeps working for"
          value={overlap}
          onChange={(e) => setOverlap(e.target.value)}
          options={overlapOptions}
        />
        <FormError error={roll.error} />
        <FormActions submit="Roll key" onCancel={onClose} pending={roll.isPending} />
      </form>
    </Dialog>
  );
}

function RevokeDialog({ apiKey, onClose }: { apiKey: ListedKey | null; onClose: () => void }) {
  const queryClient = useQueryClient();
  const revoke = useMutation({
    mutationFn: (keyId: string) => api.apiKeys.revoke.mutate({ keyId }),
    meta: { inlineError: true },
    onSuccess: (revoked) => {
      toast.success(`${revoked.name} revoked`);
      onClose();
      return queryClient.invalidateQueries({ queryKey: apiKeysQueryKey });
    },
  });
  return (
    <ConfirmDialog
      open={apiKey !== null}
      onOpenChange={(open) => {
        if (open) return;
        onClose();
        revoke.reset();
      }}
      title={`Revoke ${apiKey?.name ?? "key"}?`}
      description="Programs using this key are refused from now on. This cannot be undone."
      confirmLabel="Revoke key"
      pending={revoke.isPending}
      error={revoke.error}
      onConfirm={() => apiKey && revoke.mutate(apiKey.id)}
    />
  );
}
