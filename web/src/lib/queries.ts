import { queryOptions } from "@tanstack/react-query";
import { api } from "./trpc.ts";

/**
 * Queries several pages share. Keys are the procedure's path (plus its input), so
 * `queryClient.invalidateQueries({ queryKey: ["members.list"] })` refreshes one list.
 */
export const meQuery = queryOptions({ queryKey: ["me"], queryFn: () => api.me.query() });

export const orgsQuery = queryOptions({
  queryKey: ["orgs.list"],
  queryFn: () => api.orgs.list.query().then((page) => page.items),
});

export const permissionsQuery = queryOptions({
  queryKey: ["access.myPermissions"],
  queryFn: () => api.access.myPermissions.query(),
});

export const providersQuery = queryOptions({
  queryKey: ["auth.providers"],
  queryFn: () => api.auth.providers.query(),
  staleTime: Number.POSITIVE_INFINITY,
});
