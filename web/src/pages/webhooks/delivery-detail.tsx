import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Badge } from "../../components/ui/badge.tsx";
import { Button } from "../../components/ui/button.tsx";
import { ErrorState, Spinner } from "../../components/ui/states.tsx";
import { Cell, Table } from "../../components/ui/table.tsx";
import { toast } from "../../components/ui/toast.tsx";
import { usePermissions } from "../../lib/permissions.ts";
import { api } from "../../lib/trpc.ts";
import { deliveryTone, when } from "./webhooks-api.ts";

type Delivery = Awaited<ReturnType<typeof api.webhookDeliveries.get.query>>;
type Attempt = Delivery["history"][number];

/** One delivery: its payload and every attempt (response or error), and a redeliver button. */
export function DeliveryDetail(props: {
  endpointId: string;
  deliveryId: string;
  onClose: () => void;
}) {
  const { endpointId, deliveryId, onClose } = props;
  const { can } = usePermissions();
  const queryClient = useQueryClient();
  const delivery = useQuery({
    queryKey: ["webhookDeliveries.get", endpointId, deliveryId],
    queryFn: () => api.webhookDeliveries.get.query({ endpointId, deliveryId }),
  });
  const redeliver = useMutation({
    mutationFn: () => api.webhookDeliveries.redeliver.mutate({ endpointId, deliveryId }),
    onSuccess: (attempt) => {
      if (attempt.errorKind)
        toast.error(`Redelivery failed: ${attempt.error ?? attempt.errorKind}`);
      else toast.success(`Redelivered: the endpoint answered ${attempt.responseStatus}`);
      return Promise.all([
        queryClient.invalidateQueries({ queryKey: ["webhookDeliveries.get", endpointId] }),
        queryClient.invalidateQueries({ queryKey: ["webhookDeliveries.list", endpointId] }),
      ]);
    },
  });
  return (
    <section
      aria-labelledby="delivery-detail-title"
      className="space-y-4 rounded-md border border-slate-200 bg-white p-4"
    >
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h3 id="delivery-detail-title" className="font-medium">
          Delivery <code className="text-sm">{deliveryId}</code>
        </h3>
        <div className="flex gap-2">
          {can("webhook:manage") && (
            <Button pending={redeliver.isPending} onClick={() => redeliver.mutate()}>
              Redeliver
            </Button>
          )}
          <Button variant="secondary" onClick={onClose}>
            Close details
          </Button>
        </div>
      </div>
      {delivery.isPending && <Spinner />}
      {delivery.isError && <ErrorState error={delivery.error} onRetry={() => delivery.refetch()} />}
      {delivery.data && (
        <>
          <p className="flex flex-wrap items-center gap-3 text-sm text-slate-600">
            <span>{delivery.data.eventType}</span>
            <Badge tone={deliveryTone[delivery.data.status]}>{delivery.data.status}</Badge>
            {delivery.data.nextAttemptAt && (
              <span>next attempt {when(delivery.data.nextAttemptAt)}</span>
            )}
          </p>
          <details>
            <summary className="cursor-pointer text-sm font-medium">Payload</summary>
            <pre className="mt-2 overflow-x-auto rounded bg-slate-50 p-3 text-xs">
              {JSON.stringify(delivery.data.payload, null, 2)}
            </pre>
          </details>
          <Table
            caption="Attempts"
            head={["#", "Trigger", "Sent", "Duration", "Response", "Error", "Details"]}
          >
            {delivery.data.history.map((attempt) => (
              <AttemptRow key={attempt.id} attempt={attempt} />
            ))}
          </Table>
          {delivery.data.history.length === 0 && (
            <p className="text-sm text-slate-500">Not attempted yet.</p>
          )}
        </>
      )}
    </section>
  );
}

function AttemptRow({ attempt }: { attempt: Attempt }) {
  return (
    <tr>
      <Cell>{attempt.attempt}</Cell>
      <Cell>{attempt.trigger}</Cell>
      <Cell>{when(attempt.requestedAt)}</Cell>
      <Cell>{attempt.durationMs === null ? "—" : `${attempt.durationMs} ms`}</Cell>
      <Cell>{attempt.responseStatus ?? "—"}</Cell>
      <Cell>
        {attempt.errorKind ? (
          <span>
            <code className="text-xs">{attempt.errorKind}</code>
            {attempt.error && <span className="block text-xs text-slate-500">{attempt.error}</span>}
          </span>
        ) : (
          "—"
        )}
      </Cell>
      <Cell>
        {attempt.responseStatus === null ? (
          // Refused, timed out or blocked: there is no response to open, only what went wrong.
          <span className="text-xs text-slate-600">
            No response: {attempt.error ?? attempt.errorKind ?? "not sent"}
          </span>
        ) : (
          <ResponseDetails attempt={attempt} />
        )}
      </Cell>
    </tr>
  );
}

function ResponseDetails({ attempt }: { attempt: Attempt }) {
  const headers = Object.entries(attempt.responseHeaders ?? {});
  return (
    <details>
      <summary className="cursor-pointer text-sm">Response</summary>
      <dl className="mt-2 space-y-1 text-xs">
        {headers.map(([name, value]) => (
          <div key={name} className="flex gap-2">
            <dt className="font-mono text-slate-500">{name}:</dt>
            <dd className="break-all font-mono">{value}</dd>
          </div>
        ))}
      </dl>
      <pre className="mt-2 max-h-48 max-w-md overflow-auto rounded bg-slate-50 p-2 text-xs">
        {attempt.responseBody || "(empty body)"}
      </pre>
    </details>
  );
}
