import { queryOptions } from "@tanstack/react-query";
import { api } from "../../lib/trpc.ts";

export const endpointsQuery = queryOptions({
  queryKey: ["webhooks.list"],
  queryFn: () => api.webhooks.list.query().then((page) => page.items),
});

export const endpointQuery = (endpointId: string) =>
  queryOptions({
    queryKey: ["webhooks.get", endpointId],
    queryFn: () => api.webhooks.get.query({ endpointId }),
  });

/** The types an endpoint may subscribe to, as the server knows them. */
export const eventTypesQuery = queryOptions({
  queryKey: ["webhooks.eventTypes"],
  queryFn: () => api.webhooks.eventTypes.query(),
  staleTime: Number.POSITIVE_INFINITY,
});

export type EventType = Awaited<ReturnType<typeof api.webhooks.eventTypes.query>>[number];

export type Endpoint = Awaited<ReturnType<typeof api.webhooks.get.query>>;

/** Dates arrive as ISO strings over JSON (the types say Date); either formats the same. */
export const when = (value: Date | string | null) =>
  value ? new Date(value).toLocaleString() : "—";

export const deliveryTone = { pending: "info", succeeded: "success", failed: "warning" } as const;
