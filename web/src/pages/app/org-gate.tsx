import { useQuery } from "@tanstack/react-query";
import { Navigate, Outlet } from "@tanstack/react-router";
import { ErrorState, Spinner } from "../../components/ui/states.tsx";
import { meQuery, orgsQuery } from "../../lib/queries.ts";

/**
 * Organization pages need an active organization the user still belongs to; without one
 * they go to the page that lets them choose or create one.
 */
export function OrgGate() {
  const me = useQuery(meQuery);
  const orgs = useQuery(orgsQuery);
  if (me.isPending || orgs.isPending) return <Spinner />;
  if (me.isError || orgs.isError) return <ErrorState error={me.error ?? orgs.error} />;
  const active = orgs.data.some((org) => org.id === me.data.activeOrganizationId);
  if (!active) return <Navigate to="/organizations" />;
  return <Outlet />;
}
