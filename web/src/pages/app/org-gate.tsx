import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Navigate, Outlet } from "@tanstack/react-router";
import { useEffect } from "react";
import { ErrorState, Spinner } from "../../components/ui/states.tsx";
import { meQuery, orgsQuery } from "../../lib/queries.ts";
import { api } from "../../lib/trpc.ts";

/**
 * Organization pages need an active organization the user still belongs to. A new session
 * has none: with a single organization it is opened for them; with several (or none) they
 * go to the page that lets them choose or create one.
 */
export function OrgGate() {
  const me = useQuery(meQuery);
  const orgs = useQuery(orgsQuery);
  if (me.isPending || orgs.isPending) return <Spinner />;
  if (me.isError || orgs.isError) return <ErrorState error={me.error ?? orgs.error} />;
  if (orgs.data.some((org) => org.id === me.data.activeOrganizationId)) return <Outlet />;
  const [only, ...others] = orgs.data;
  if (only && others.length === 0) return <OpenOnlyOrganization organizationId={only.id} />;
  return <Navigate to="/organizations" />;
}

function OpenOnlyOrganization({ organizationId }: { organizationId: string }) {
  const queryClient = useQueryClient();
  const { mutate, error } = useMutation({
    mutationFn: () => api.orgs.setActive.mutate({ organizationId }),
    onSuccess: () => queryClient.resetQueries(),
  });
  useEffect(() => mutate(), [mutate]);
  return error ? <ErrorState error={error} /> : <Spinner label="Opening your organization…" />;
}
