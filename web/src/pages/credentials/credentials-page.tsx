import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "../../components/ui/button.tsx";
import { Dialog } from "../../components/ui/dialog.tsx";
import { EmptyState, ErrorState, Spinner } from "../../components/ui/states.tsx";
import { Table } from "../../components/ui/table.tsx";
import { usePermissions } from "../../lib/permissions.ts";
import { CredentialForm } from "./credential-form.tsx";
import { CredentialRow } from "./credential-row.tsx";
import { credentialsQuery, credentialTypesQuery } from "./credentials-api.ts";

export function CredentialsPage() {
  const { can } = usePermissions();
  const credentials = useQuery(credentialsQuery);
  const types = useQuery(credentialTypesQuery);
  const [creating, setCreating] = useState(false);
  const failed = credentials.error ?? types.error;

  return (
    <div className="max-w-5xl space-y-6">
      <div className="flex items-center justify-between gap-4">
        <h1 className="text-2xl font-semibold">Credentials</h1>
        {can("credential:create") && types.data && (
          <Button onClick={() => setCreating(true)}>New credential</Button>
        )}
      </div>
      <p className="text-sm text-slate-600">
        Secrets that workflow steps use to reach other services. Their values are stored encrypted
        and never shown again.
      </p>
      {(credentials.isPending || types.isPending) && !failed && <Spinner />}
      {failed && (
        <ErrorState
          error={failed}
          onRetry={() => {
            void credentials.refetch();
            void types.refetch();
          }}
        />
      )}
      {credentials.data?.length === 0 && types.data && (
        <EmptyState title="No credentials yet">
          {can("credential:create") ? "Create one to connect a workflow to a service." : null}
        </EmptyState>
      )}
      {!!credentials.data?.length && types.data && (
        <Table caption="Credentials" head={["Name", "Type", "Sharing", "Updated", "Actions"]}>
          {credentials.data.map((credential) => (
            <CredentialRow key={credential.id} credential={credential} types={types.data} />
          ))}
        </Table>
      )}
      {types.data && (
        <Dialog open={creating} onOpenChange={setCreating} title="New credential">
          <CredentialForm types={types.data} onDone={() => setCreating(false)} />
        </Dialog>
      )}
    </div>
  );
}
