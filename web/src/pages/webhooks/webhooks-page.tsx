import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { Button } from "../../components/ui/button.tsx";
import { Dialog } from "../../components/ui/dialog.tsx";
import { OneTimeSecret } from "../../components/ui/one-time-secret.tsx";
import { EmptyState, ErrorState, Spinner } from "../../components/ui/states.tsx";
import { Cell, Table } from "../../components/ui/table.tsx";
import { usePermissions } from "../../lib/permissions.ts";
import { api } from "../../lib/trpc.ts";
import { type EndpointFields, EndpointForm } from "./endpoint-form.tsx";
import { EndpointStatus } from "./endpoint-status.tsx";
import { endpointsQuery } from "./webhooks-api.ts";

export function WebhooksPage() {
  const { can } = usePermissions();
  const endpoints = useQuery(endpointsQuery);
  return (
    <div className="max-w-5xl space-y-8">
      <div>
        <h1 className="text-2xl font-semibold">Webhooks</h1>
        <p className="mt-1 text-sm text-slate-600">
          Fluxo sends signed events (Standard Webhooks) to these endpoints, retrying failures.
        </p>
      </div>
      <section className="space-y-3">
        <h2 className="text-lg font-medium">Endpoints</h2>
        {endpoints.isPending && <Spinner />}
        {endpoints.isError && (
          <ErrorState error={endpoints.error} onRetry={() => endpoints.refetch()} />
        )}
        {endpoints.data?.length === 0 && <EmptyState title="No webhook endpoints yet" />}
        {!!endpoints.data?.length && (
          <Table caption="Webhook endpoints" head={["URL", "Events", "Status", "Failing since"]}>
            {endpoints.data.map((endpoint) => (
              <tr key={endpoint.id}>
                <Cell>
                  <Link
                    to="/webhooks/$endpointId"
                    params={{ endpointId: endpoint.id }}
                    className="break-all text-indigo-700 underline"
                  >
                    {endpoint.url}
                  </Link>
                  {endpoint.description && (
                    <span className="block text-xs text-slate-500">{endpoint.description}</span>
                  )}
                </Cell>
                <Cell>{endpoint.eventTypes.join(", ")}</Cell>
                <Cell>
                  <EndpointStatus endpoint={endpoint} />
                </Cell>
                <Cell>
                  {endpoint.failingSince ? new Date(endpoint.failingSince).toLocaleString() : "—"}
                </Cell>
              </tr>
            ))}
          </Table>
        )}
      </section>
      {can("webhook:manage") && <CreateEndpoint />}
    </div>
  );
}

function CreateEndpoint() {
  const queryClient = useQueryClient();
  const [secret, setSecret] = useState<string | null>(null);
  // a new form (empty fields) after each endpoint created
  const [formKey, setFormKey] = useState(0);
  const create = useMutation({
    mutationFn: (fields: EndpointFields) => api.webhooks.create.mutate(fields),
    meta: { inlineError: true },
    gcTime: 0,
    onSuccess: (created) => {
      create.reset(); // the secret lives only in the reveal dialog
      setFormKey((key) => key + 1);
      setSecret(created.secret);
      return queryClient.invalidateQueries({ queryKey: endpointsQuery.queryKey });
    },
  });
  return (
    <section className="max-w-xl space-y-3">
      <h2 className="text-lg font-medium">Add an endpoint</h2>
      <div className="rounded-md border border-slate-200 bg-white p-4">
        <EndpointForm
          key={formKey}
          initial={{ url: "", description: "", eventTypes: [] }}
          submitLabel="Add endpoint"
          pending={create.isPending}
          error={create.error}
          onSubmit={(fields) => create.mutate(fields)}
        />
      </div>
      <Dialog
        open={secret !== null}
        onOpenChange={(open) => !open && setSecret(null)}
        title="Endpoint added"
      >
        <p className="mb-3 text-sm text-slate-600">
          Verify each delivery's <code>webhook-signature</code> with this secret.
        </p>
        {secret && <OneTimeSecret label="Signing secret" value={secret} />}
        <div className="mt-4 flex justify-end">
          <Button variant="secondary" onClick={() => setSecret(null)}>
            Done
          </Button>
        </div>
      </Dialog>
    </section>
  );
}
