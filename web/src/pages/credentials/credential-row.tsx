import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { Action } from "../../../../src/access/statements.ts";
import { SharingBadge } from "../../components/sharing/sharing-badge.tsx";
import { SharingPanel } from "../../components/sharing/sharing-panel.tsx";
import { Button } from "../../components/ui/button.tsx";
import { ConfirmDialog, Dialog } from "../../components/ui/dialog.tsx";
import { Cell } from "../../components/ui/table.tsx";
import { toast } from "../../components/ui/toast.tsx";
import { usePermissions } from "../../lib/permissions.ts";
import { api } from "../../lib/trpc.ts";
import { CredentialForm } from "./credential-form.tsx";
import { type Credential, type CredentialType, credentialRightsQuery } from "./credentials-api.ts";
import { TestConnection } from "./test-connection.tsx";

type Open = "edit" | "test" | "share" | "delete" | null;

/** One credential with the actions the viewer has on it (the server decides again). */
export function CredentialRow({
  credential,
  types,
}: {
  credential: Credential;
  types: CredentialType[];
}) {
  const { can } = usePermissions();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState<Open>(null);
  const type = types.find((t) => t.id === credential.type);
  // The role says what is possible at all; the credential's grants say what is possible here.
  const mayAct = (
    ["credential:use", "credential:edit", "credential:delete", "credential:share"] as const
  ).some((action) => can(action));
  const rights = useQuery({ ...credentialRightsQuery(credential.id), enabled: mayAct });
  const has = (action: Action) => can(action) && !!rights.data?.actions.includes(action);
  const close = () => setOpen(null);

  const remove = useMutation({
    mutationFn: () => api.credentials.delete.mutate({ credentialId: credential.id }),
    meta: { inlineError: true },
    onSuccess: () => {
      toast.success(`Deleted ${credential.name}`);
      close();
      return queryClient.invalidateQueries({ queryKey: ["credentials.list"] });
    },
  });

  return (
    <tr>
      <Cell>
        <span className="font-medium">{credential.name}</span>
      </Cell>
      <Cell>{type?.displayName ?? credential.type}</Cell>
      <Cell>
        <SharingBadge mode={credential.sharingMode} defaultLevel={credential.defaultLevel} />
      </Cell>
      <Cell>{new Date(credential.updatedAt).toLocaleString()}</Cell>
      <Cell>
        <div className="flex flex-wrap gap-1">
          {has("credential:edit") && (
            <Button
              variant="ghost"
              aria-label={`Edit ${credential.name}`}
              onClick={() => setOpen("edit")}
            >
              Edit
            </Button>
          )}
          {has("credential:use") && type && type.connectionTest !== "none" && (
            <Button
              variant="ghost"
              aria-label={`Test ${credential.name}`}
              onClick={() => setOpen("test")}
            >
              Test
            </Button>
          )}
          {has("credential:share") && (
            <Button
              variant="ghost"
              aria-label={`Share ${credential.name}`}
              onClick={() => setOpen("share")}
            >
              Share
            </Button>
          )}
          {has("credential:delete") && (
            <Button
              variant="ghost"
              aria-label={`Delete ${credential.name}`}
              onClick={() => setOpen("delete")}
            >
              Delete
            </Button>
          )}
        </div>
        <Dialog
          open={open === "edit"}
          onOpenChange={(o) => !o && close()}
          title={`Edit ${credential.name}`}
        >
          <CredentialForm types={types} credential={credential} onDone={close} />
        </Dialog>
        <Dialog
          open={open === "test"}
          onOpenChange={(o) => !o && close()}
          title={`Test ${credential.name}`}
        >
          {type && <TestConnection credential={credential} type={type} onClose={close} />}
        </Dialog>
        <Dialog
          open={open === "share"}
          onOpenChange={(o) => !o && close()}
          title={`Share ${credential.name}`}
          size="wide"
        >
          <SharingPanel assetType="credential" assetId={credential.id} onClose={close} />
        </Dialog>
        <ConfirmDialog
          open={open === "delete"}
          onOpenChange={(o) => {
            if (o) return;
            close();
            remove.reset();
          }}
          title={`Delete ${credential.name}?`}
          description="Workflow steps that use it will fail until they are given another credential. This cannot be undone."
          confirmLabel="Delete"
          pending={remove.isPending}
          error={remove.error}
          onConfirm={() => remove.mutate()}
        />
      </Cell>
    </tr>
  );
}
