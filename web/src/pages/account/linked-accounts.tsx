import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useSearch } from "@tanstack/react-router";
import { useState } from "react";
import { Button } from "../../components/ui/button.tsx";
import { ConfirmDialog } from "../../components/ui/dialog.tsx";
import { ErrorState, Spinner } from "../../components/ui/states.tsx";
import { Cell, Table } from "../../components/ui/table.tsx";
import { toast } from "../../components/ui/toast.tsx";
import { authClient, unwrap } from "../../lib/auth.ts";
import { providersQuery } from "../../lib/queries.ts";
import { socialErrorMessage } from "../auth/social-errors.ts";

interface Account {
  /** Better Auth's account row id, which unlinking names. */
  id: string;
  providerId: string;
  createdAt: Date | string;
}

/** The ways to sign in: the password, and social accounts linked to this user. */
export function LinkedAccounts() {
  const { error: linkError } = useSearch({ from: "/app/account" });
  const queryClient = useQueryClient();
  const accounts = useQuery({
    queryKey: ["auth.accounts"],
    queryFn: async () => (await unwrap(authClient.listAccounts())) as Account[],
  });
  const providers = useQuery(providersQuery);
  const nameOf = (id: string) =>
    id === "credential" ? "Password" : (providers.data?.find((p) => p.id === id)?.name ?? id);
  const [unlinking, setUnlinking] = useState<Account | null>(null);
  const unlink = useMutation({
    mutationFn: (account: Account) => unwrap(authClient.unlinkAccount({ accountId: account.id })),
    meta: { inlineError: true },
    onSuccess: () => {
      toast.success(`Unlinked ${nameOf(unlinking?.providerId ?? "")}`);
      setUnlinking(null);
      return queryClient.invalidateQueries({ queryKey: ["auth.accounts"] });
    },
  });
  const link = useMutation({
    mutationFn: (provider: string) =>
      unwrap(
        authClient.linkSocial({ provider, callbackURL: "/account", errorCallbackURL: "/account" }),
      ),
  });
  const linked = new Set(accounts.data?.map((a) => a.providerId));
  const linkable = (providers.data ?? []).filter((p) => !linked.has(p.id));
  const onlyOne = (accounts.data?.length ?? 0) <= 1;

  return (
    <section className="space-y-3">
      <h2 className="text-lg font-medium">Sign-in methods</h2>
      {linkError && (
        <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-800">
          {socialErrorMessage(linkError)}
        </p>
      )}
      {accounts.isPending && <Spinner />}
      {accounts.isError && <ErrorState error={accounts.error} onRetry={() => accounts.refetch()} />}
      {accounts.data && (
        <Table caption="Sign-in methods" head={["Method", "Added", ""]}>
          {accounts.data.map((account) => (
            <tr key={account.id}>
              <Cell>{nameOf(account.providerId)}</Cell>
              <Cell>{new Date(account.createdAt).toLocaleString()}</Cell>
              <Cell>
                {account.providerId !== "credential" && !onlyOne && (
                  <Button
                    variant="ghost"
                    aria-label={`Unlink ${nameOf(account.providerId)}`}
                    onClick={() => setUnlinking(account)}
                  >
                    Unlink
                  </Button>
                )}
              </Cell>
            </tr>
          ))}
        </Table>
      )}
      {linkable.length > 0 && (
        <div className="flex flex-wrap gap-2">
          {linkable.map((provider) => (
            <Button
              key={provider.id}
              variant="secondary"
              pending={link.isPending && link.variables === provider.id}
              onClick={() => link.mutate(provider.id)}
            >
              Link {provider.name}
            </Button>
          ))}
        </div>
      )}
      <ConfirmDialog
        open={unlinking !== null}
        onOpenChange={(open) => {
          if (open) return;
          setUnlinking(null);
          unlink.reset();
        }}
        title={`Unlink ${nameOf(unlinking?.providerId ?? "")}?`}
        description="You will no longer be able to sign in with it."
        confirmLabel="Unlink"
        pending={unlink.isPending}
        error={unlink.error}
        onConfirm={() => unlinking && unlink.mutate(unlinking)}
      />
    </section>
  );
}
