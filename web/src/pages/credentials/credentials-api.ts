import { queryOptions } from "@tanstack/react-query";
import { api } from "../../lib/trpc.ts";

export type Credential = Awaited<ReturnType<typeof api.credentials.list.query>>["items"][number];
export type CredentialType = Awaited<ReturnType<typeof api.credentials.types.query>>[number];

export const credentialsQuery = queryOptions({
  queryKey: ["credentials.list"],
  queryFn: () => api.credentials.list.query().then((page) => page.items),
});

export const credentialTypesQuery = queryOptions({
  queryKey: ["credentials.types"],
  queryFn: () => api.credentials.types.query(),
  staleTime: Number.POSITIVE_INFINITY,
});

/** What the viewer may do with one credential (their role and its grants, as the server sees). */
export const credentialRightsQuery = (credentialId: string) =>
  queryOptions({
    queryKey: ["access.assetPermissions", "credential", credentialId],
    queryFn: () =>
      api.access.assetPermissions.query({ assetType: "credential", assetId: credentialId }),
  });
