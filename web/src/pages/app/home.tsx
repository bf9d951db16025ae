import { useQuery } from "@tanstack/react-query";
import { ErrorState, Spinner } from "../../components/ui/states.tsx";
import { api } from "../../lib/trpc.ts";

export function HomePage() {
  const org = useQuery({ queryKey: ["orgs.current"], queryFn: () => api.orgs.current.query() });
  if (org.isPending) return <Spinner />;
  if (org.isError) return <ErrorState error={org.error} onRetry={() => org.refetch()} />;
  return (
    <div className="space-y-2">
      <h1 className="text-2xl font-semibold">{org.data.name}</h1>
      <p className="text-sm text-slate-600">
        You are {org.data.role.toLowerCase()} of this organization. Pick a page on the left.
      </p>
    </div>
  );
}
