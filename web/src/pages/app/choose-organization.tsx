import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { Button } from "../../components/ui/button.tsx";
import { Field } from "../../components/ui/field.tsx";
import { ErrorState, FormError, Spinner } from "../../components/ui/states.tsx";
import { toast } from "../../components/ui/toast.tsx";
import { orgsQuery } from "../../lib/queries.ts";
import { api } from "../../lib/trpc.ts";
import { useSwitchOrganization } from "./organization-switcher.tsx";

/** Create an organization, or open one the user belongs to. */
export function ChooseOrganizationPage() {
  const orgs = useQuery(orgsQuery);
  const switchTo = useSwitchOrganization();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [name, setName] = useState("");
  const create = useMutation({
    mutationFn: () => api.orgs.create.mutate({ name }),
    meta: { inlineError: true },
    onSuccess: async (org) => {
      await queryClient.resetQueries(); // the new organization is now the active one
      toast.success(`Created ${org.name}`);
      await navigate({ to: "/" });
    },
  });
  return (
    <div className="max-w-xl space-y-8">
      <h1 className="text-2xl font-semibold">Organizations</h1>
      <section className="space-y-3">
        <h2 className="text-lg font-medium">Your organizations</h2>
        {orgs.isPending && <Spinner />}
        {orgs.isError && <ErrorState error={orgs.error} onRetry={() => orgs.refetch()} />}
        {orgs.data?.length === 0 && (
          <p className="text-sm text-slate-600">You are not a member of any organization yet.</p>
        )}
        <ul className="space-y-2">
          {orgs.data?.map((org) => (
            <li
              key={org.id}
              className="flex items-center justify-between rounded-md border border-slate-200 bg-white p-3"
            >
              <span>
                {org.name}{" "}
                <span className="text-xs text-slate-500">({org.role.toLowerCase()})</span>
              </span>
              <Button
                variant="secondary"
                pending={switchTo.isPending && switchTo.variables === org.id}
                onClick={() => switchTo.mutate(org.id)}
              >
                Open {org.name}
              </Button>
            </li>
          ))}
        </ul>
      </section>
      <section className="space-y-3">
        <h2 className="text-lg font-medium">Create an organization</h2>
        <form
          className="space-y-4"
          onSubmit={(event) => {
            event.preventDefault();
            create.mutate();
          }}
        >
          <Field
            label="Organization name"
            required
            maxLength={100}
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
          <FormError error={create.error} />
          <Button type="submit" pending={create.isPending}>
            Create organization
          </Button>
        </form>
      </section>
    </div>
  );
}
