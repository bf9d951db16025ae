import { queryOptions } from "@tanstack/react-query";
import { api } from "../../lib/trpc.ts";

export const apiKeysQueryKey = ["apiKeys.list"];

export const apiKeysQuery = queryOptions({
  queryKey: apiKeysQueryKey,
  queryFn: () => api.apiKeys.list.query().then((page) => page.items),
});

export type ListedKey = Awaited<ReturnType<typeof api.apiKeys.list.query>>["items"][number];

/** Dates arrive as ISO strings over JSON (the types say Date); either formats the same. */
export const when = (value: Date | string | null) =>
  value ? new Date(value).toLocaleString() : "—";

export const day = (value: Date | string) => new Date(value).toLocaleDateString();
