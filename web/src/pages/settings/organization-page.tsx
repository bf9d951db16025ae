import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "../../components/ui/button.tsx";
import { Dialog } from "../../components/ui/dialog.tsx";
import { Field } from "../../components/ui/field.tsx";
import { ErrorState, FormError, Spinner } from "../../components/ui/states.tsx";
import { toast } from "../../components/ui/toast.tsx";
import { usePermissions } from "../../lib/permissions.ts";
import { api } from "../../lib/trpc.ts";

const currentQueryKey = ["orgs.current"];

type Organization = Awaited<ReturnType<typeof api.orgs.current.query>>;

/** The organization itself: its name (OWNER, ADMIN) and its deletion (OWNER only). */
export function OrganizationPage() {
  const { can } = usePermissions();
  const org = useQuery({ queryKey: currentQueryKey, queryFn: () => api.orgs.current.query() });
  return (
    <div className="max-w-2xl space-y-8">
      <h1 className="text-2xl font-semibold">Organization</h1>
      {org.isPending && <Spinner />}
      {org.isError && <ErrorState error={org.error} onRetry={() => org.refetch()} />}
      {org.data &&
        (can("org:update") ? (
          <RenameOrganization org={org.data} />
        ) : (
          <p className="text-sm text-slate-600">
            {org.data.name} ({org.data.slug}). Only an OWNER or ADMIN can change it.
          </p>
        ))}
      {org.data && can("org:delete") && <DeleteOrganization org={org.data} />}
    </div>
  );
}

function RenameOrganization({ org }: { org: Organization }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState(org.name);
  const rename = useMutation({
    mutationFn: () => api.orgs.update.mutate({ name }),
    meta: { inlineError: true },
    onSuccess: async (saved) => {
      setName(saved.name);
      toast.success("Organization renamed");
      // the switcher lists it by name
      await Promise.all(
        [currentQueryKey, ["orgs.list"]].map((queryKey) =>
          queryClient.invalidateQueries({ queryKey }),
        ),
      );
    },
  });
  return (
    <section aria-labelledby="org-name" className="space-y-3">
      <h2 id="org-name" className="text-lg font-medium">
        Name
      </h2>
      <form
        className="max-w-sm space-y-4"
        onSubmit={(event) => {
          event.preventDefault();
          rename.mutate();
        }}
      >
        <Field
          label="Organization name"
          required
          maxLength={100}
          value={name}
          onChange={(e) => setName(e.target.value)}
          hint={`Its slug, ${org.slug}, stays as it is.`}
        />
        <FormError error={rename.error} />
        <Button
          type="submit"
          pending={rename.isPending}
          disabled={name.trim() === org.name || !name.trim()}
        >
          Save name
        </Button>
      </form>
    </section>
  );
}

function DeleteOrganization({ org }: { org: Organization }) {
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState("");
  const remove = useMutation({
    mutationFn: () => api.orgs.delete.mutate({ confirmSlug: typed }),
    meta: { inlineError: true },
    onSuccess: () => {
      queryClient.clear();
      toast.success(`${org.name} was deleted`);
      window.location.assign("/organizations");
    },
  });
  const close = (next: boolean) => {
    setOpen(next);
    if (!next) {
      setTyped("");
      remove.reset();
    }
  };
  return (
    <section aria-labelledby="org-delete" className="space-y-3 border-t border-slate-200 pt-6">
      <h2 id="org-delete" className="text-lg font-medium text-red-700">
        Delete organization
      </h2>
      <p className="text-sm text-slate-600">
        Deletes its workflows and their executions, credentials, reviews, API keys, webhook
        endpoints, members and audit log, at once and for good.
      </p>
      <Button variant="danger" onClick={() => setOpen(true)}>
        Delete organization
      </Button>
      <Dialog open={open} onOpenChange={close} title={`Delete ${org.name}?`}>
        <form
          className="space-y-4"
          onSubmit={(event) => {
            event.preventDefault();
            remove.mutate();
          }}
        >
          <p className="text-sm text-slate-600">
            Nothing of it can be restored. Type its slug, <code>{org.slug}</code>, to confirm.
          </p>
          <Field
            label="Slug"
            autoComplete="off"
            required
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
          />
          <FormError error={remove.error} />
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={() => close(false)}>
              Cancel
            </Button>
            <Button
              type="submit"
              variant="danger"
              pending={remove.isPending}
              disabled={typed !== org.slug}
            >
              Delete for good
            </Button>
          </div>
        </form>
      </Dialog>
    </section>
  );
}
