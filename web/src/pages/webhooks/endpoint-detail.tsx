import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate, useParams } from "@tanstack/react-router";
import { useState } from "react";
import { Button } from "../../components/ui/button.tsx";
import { ConfirmDialog } from "../../components/ui/dialog.tsx";
import { ErrorState, Spinner } from "../../components/ui/states.tsx";
import { toast } from "../../components/ui/toast.tsx";
import { usePermissions } from "../../lib/permissions.ts";
import { api } from "../../lib/trpc.ts";
import { Deliveries } from "./deliveries.tsx";
import { type EndpointFields, EndpointForm } from "./endpoint-form.tsx";
import { EndpointSecret } from "./endpoint-secret.tsx";
import { EndpointStatus } from "./endpoint-status.tsx";
import {
  type Endpoint,
  type EventType,
  endpointQuery,
  endpointsQuery,
  when,
} from "./webhooks-api.ts";

export function EndpointDetailPage() {
  const { endpointId = "" } = useParams({ strict: false });
  const endpoint = useQuery(endpointQuery(endpointId));
  const { can } = usePermissions();
  return (
    <div className="max-w-5xl space-y-8">
      <Link to="/webhooks" className="text-sm text-indigo-700 underline">
        ← All endpoints
      </Link>
      {endpoint.isPending && <Spinner />}
      {endpoint.isError && <ErrorState error={endpoint.error} onRetry={() => endpoint.refetch()} />}
      {endpoint.data && (
        <>
          <div className="space-y-2">
            <h1 className="break-all text-2xl font-semibold">{endpoint.data.url}</h1>
            {endpoint.data.description && (
              <p className="text-sm text-slate-600">{endpoint.data.description}</p>
            )}
            <div className="flex flex-wrap items-center gap-3 text-sm text-slate-600">
              <EndpointStatus endpoint={endpoint.data} />
              {endpoint.data.failingSince && (
                <span>Failing since {when(endpoint.data.failingSince)}</span>
              )}
              <span>Events: {endpoint.data.eventTypes.join(", ")}</span>
            </div>
          </div>
          {can("webhook:manage") && <EndpointActions endpoint={endpoint.data} />}
          {can("webhook:manage") && <EditEndpoint endpoint={endpoint.data} />}
          {(can("webhook:manage") || can("webhook:reveal_secret")) && (
            <EndpointSecret endpoint={endpoint.data} />
          )}
          <Deliveries endpointId={endpoint.data.id} />
        </>
      )}
    </div>
  );
}

/** After a change: this endpoint and the list show it. */
function useRefreshEndpoint(endpointId: string) {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: endpointQuery(endpointId).queryKey }),
      queryClient.invalidateQueries({ queryKey: endpointsQuery.queryKey }),
    ]);
}

function EndpointActions({ endpoint }: { endpoint: Endpoint }) {
  const endpointId = endpoint.id;
  const refresh = useRefreshEndpoint(endpointId);
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [confirming, setConfirming] = useState<"disable" | "delete" | null>(null);
  const sendTest = useMutation({
    mutationFn: () => api.webhooks.sendTest.mutate({ endpointId }),
    onSuccess: () => {
      toast.success("Test event queued");
      return queryClient.invalidateQueries({ queryKey: ["webhookDeliveries.list", endpointId] });
    },
  });
  const enable = useMutation({
    mutationFn: () => api.webhooks.update.mutate({ endpointId, enabled: true }),
    onSuccess: () => {
      toast.success("Endpoint enabled");
      return refresh();
    },
  });
  // Confirmed in a dialog: a refusal shows there.
  const disable = useMutation({
    mutationFn: () => api.webhooks.update.mutate({ endpointId, enabled: false }),
    meta: { inlineError: true },
    onSuccess: () => {
      toast.success("Endpoint disabled");
      setConfirming(null);
      return refresh();
    },
  });
  const remove = useMutation({
    mutationFn: () => api.webhooks.delete.mutate({ endpointId }),
    meta: { inlineError: true },
    onSuccess: async () => {
      toast.success("Endpoint deleted");
      queryClient.removeQueries({ queryKey: endpointQuery(endpointId).queryKey });
      await queryClient.invalidateQueries({ queryKey: endpointsQuery.queryKey });
      await navigate({ to: "/webhooks" });
    },
  });
  return (
    <section className="flex flex-wrap gap-2" aria-label="Endpoint actions">
      <Button variant="secondary" pending={sendTest.isPending} onClick={() => sendTest.mutate()}>
        Send test event
      </Button>
      {endpoint.enabled ? (
        <Button variant="secondary" onClick={() => setConfirming("disable")}>
          Disable endpoint
        </Button>
      ) : (
        <Button variant="secondary" pending={enable.isPending} onClick={() => enable.mutate()}>
          Enable endpoint
        </Button>
      )}
      <Button variant="danger" onClick={() => setConfirming("delete")}>
        Delete endpoint
      </Button>
      <ConfirmDialog
        open={confirming === "disable"}
        onOpenChange={(open) => {
          if (open) return;
          setConfirming(null);
          disable.reset();
        }}
        title="Disable this endpoint?"
        description="No events are sent to it until it is enabled again."
        confirmLabel="Disable"
        pending={disable.isPending}
        error={disable.error}
        onConfirm={() => disable.mutate()}
      />
      <ConfirmDialog
        open={confirming === "delete"}
        onOpenChange={(open) => {
          if (open) return;
          setConfirming(null);
          remove.reset();
        }}
        title="Delete this endpoint?"
        description="Its delivery history goes with it. This cannot be undone."
        confirmLabel="Delete"
        pending={remove.isPending}
        error={remove.error}
        onConfirm={() => remove.mutate()}
      />
    </section>
  );
}

function EditEndpoint({ endpoint }: { endpoint: Endpoint }) {
  const refresh = useRefreshEndpoint(endpoint.id);
  const update = useMutation({
    mutationFn: (fields: EndpointFields) =>
      api.webhooks.update.mutate({ endpointId: endpoint.id, ...fields }),
    meta: { inlineError: true },
    onSuccess: () => {
      toast.success("Endpoint saved");
      return refresh();
    },
  });
  return (
    <section className="max-w-xl space-y-3">
      <h2 className="text-lg font-medium">Settings</h2>
      <div className="rounded-md border border-slate-200 bg-white p-4">
        <EndpointForm
          initial={{
            url: endpoint.url,
            description: endpoint.description,
            // stored only after validation against the same list
            eventTypes: endpoint.eventTypes as EventType[],
          }}
          submitLabel="Save changes"
          pending={update.isPending}
          error={update.error}
          onSubmit={(fields) => update.mutate(fields)}
        />
      </div>
    </section>
  );
}
