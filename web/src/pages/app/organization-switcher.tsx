import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate } from "@tanstack/react-router";
import { SelectField } from "../../components/ui/field.tsx";
import { meQuery, orgsQuery } from "../../lib/queries.ts";
import { api } from "../../lib/trpc.ts";

/** Switching organization changes every org-scoped answer: all cached data is reset. */
export function useSwitchOrganization() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return useMutation({
    mutationFn: (organizationId: string) => api.orgs.setActive.mutate({ organizationId }),
    onSuccess: async () => {
      // Mounted queries refetch for the new organization (clear() would leave them stale).
      await queryClient.resetQueries();
      await navigate({ to: "/" });
    },
  });
}

export function OrganizationSwitcher() {
  const { data: me } = useQuery(meQuery);
  const { data: orgs } = useQuery(orgsQuery);
  const switchTo = useSwitchOrganization();
  if (!orgs?.length) return null;
  const active = orgs.some((org) => org.id === me?.activeOrganizationId)
    ? (me?.activeOrganizationId ?? "")
    : "";
  return (
    <div className="flex items-end gap-3">
      <SelectField
        label="Organization"
        value={active}
        disabled={switchTo.isPending}
        onChange={(event) => switchTo.mutate(event.target.value)}
        options={[
          ...(active ? [] : [{ value: "", label: "Choose…" }]),
          ...orgs.map((org) => ({ value: org.id, label: org.name })),
        ]}
      />
      <Link to="/organizations" className="pb-2 text-sm text-indigo-600 underline">
        New organization
      </Link>
    </div>
  );
}
