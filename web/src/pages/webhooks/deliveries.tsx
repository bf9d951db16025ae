import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Badge } from "../../components/ui/badge.tsx";
import { Button } from "../../components/ui/button.tsx";
import { SelectField } from "../../components/ui/field.tsx";
import { Pager, useCursorPages } from "../../components/ui/pager.tsx";
import { EmptyState, ErrorState, Spinner } from "../../components/ui/states.tsx";
import { Cell, Table } from "../../components/ui/table.tsx";
import { api } from "../../lib/trpc.ts";
import { DeliveryDetail } from "./delivery-detail.tsx";
import { deliveryTone, when } from "./webhooks-api.ts";

type Status = "pending" | "succeeded" | "failed";

const statusOptions = [
  { value: "", label: "All" },
  { value: "pending", label: "Pending" },
  { value: "succeeded", label: "Succeeded" },
  { value: "failed", label: "Failed" },
];
const PAGE_SIZE = 20;

/** The endpoint's deliveries, newest first, a page at a time; pending ones refresh by themselves. */
export function Deliveries({ endpointId }: { endpointId: string }) {
  const [status, setStatus] = useState<Status | "">("");
  const pages = useCursorPages();
  const [selected, setSelected] = useState<string | null>(null);
  const { cursor } = pages;
  const deliveries = useQuery({
    queryKey: ["webhookDeliveries.list", endpointId, status, cursor],
    queryFn: () =>
      api.webhookDeliveries.list.query({
        endpointId,
        limit: PAGE_SIZE,
        ...(status && { status }),
        ...(cursor && { cursor }),
      }),
    refetchInterval: (query) =>
      query.state.data?.items.some((d) => d.status === "pending") ? 2000 : false,
  });
  const page = deliveries.data?.items;
  return (
    <section className="space-y-3">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h2 className="text-lg font-medium">Deliveries</h2>
        <div className="flex items-end gap-2">
          <SelectField
            label="Delivery status"
            value={status}
            onChange={(e) => {
              setStatus(e.target.value as Status | "");
              pages.restart();
            }}
            options={statusOptions}
          />
          <Button variant="secondary" onClick={() => deliveries.refetch()}>
            Refresh
          </Button>
        </div>
      </div>
      {deliveries.isPending && <Spinner />}
      {deliveries.isError && (
        <ErrorState error={deliveries.error} onRetry={() => deliveries.refetch()} />
      )}
      {page?.length === 0 && <EmptyState title="No deliveries" />}
      {!!page?.length && (
        <Table
          caption="Deliveries"
          head={[
            "Event",
            "Status",
            "Attempts",
            "Last response",
            "Created",
            "Next attempt",
            "Actions",
          ]}
        >
          {page.map((delivery) => (
            <tr key={delivery.id} className={delivery.id === selected ? "bg-indigo-50" : ""}>
              <Cell>
                {delivery.eventType}
                <code className="block break-all text-xs text-slate-500">{delivery.id}</code>
              </Cell>
              <Cell>
                <Badge tone={deliveryTone[delivery.status]}>{delivery.status}</Badge>
              </Cell>
              <Cell>{delivery.attempts}</Cell>
              <Cell>{delivery.lastResponseStatus ?? "—"}</Cell>
              <Cell>{when(delivery.createdAt)}</Cell>
              <Cell>{when(delivery.nextAttemptAt)}</Cell>
              <Cell>
                <Button
                  variant="ghost"
                  aria-label={`Details of delivery ${delivery.id}`}
                  onClick={() => setSelected(delivery.id)}
                >
                  Details
                </Button>
              </Cell>
            </tr>
          ))}
        </Table>
      )}
      <Pager
        pages={pages}
        nextCursor={deliveries.data?.nextCursor}
        labels={{ previous: "Newer", next: "Older" }}
      />
      {selected && (
        <DeliveryDetail
          endpointId={endpointId}
          deliveryId={selected}
          onClose={() => setSelected(null)}
        />
      )}
    </section>
  );
}
