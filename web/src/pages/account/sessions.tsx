import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Badge } from "../../components/ui/badge.tsx";
import { Button } from "../../components/ui/button.tsx";
import { ConfirmDialog } from "../../components/ui/dialog.tsx";
import { ErrorState, Spinner } from "../../components/ui/states.tsx";
import { Cell, Table } from "../../components/ui/table.tsx";
import { toast } from "../../components/ui/toast.tsx";
import { authClient, unwrap } from "../../lib/auth.ts";

interface Session {
  token: string;
  ipAddress?: string | null;
  userAgent?: string | null;
  createdAt: Date | string;
  updatedAt: Date | string;
}

/** A short description of the browser from its user agent, e.g. "Chrome on Linux". */
function describeAgent(agent: string | null | undefined): string {
  if (!agent) return "Unknown device";
  const browser = /Edg\//.test(agent)
    ? "Edge"
    : /Firefox\//.test(agent)
      ? "Firefox"
      : /Chrom(e|ium)\//.test(agent)
        ? "Chrome"
        : /Safari\//.test(agent)
          ? "Safari"
          : "Browser";
  const os = /Windows/.test(agent)
    ? "Windows"
    : /Mac OS X/.test(agent)
      ? "macOS"
      : /Android/.test(agent)
        ? "Android"
        : /iPhone|iPad/.test(agent)
          ? "iOS"
          : /Linux/.test(agent)
            ? "Linux"
            : "an unknown system";
  return `${browser} on ${os}`;
}

/** Where the user is signed in; any session but this one can be signed out from here. */
export function Sessions() {
  const queryClient = useQueryClient();
  const sessions = useQuery({
    queryKey: ["auth.sessions"],
    queryFn: async () => {
      const [list, current] = await Promise.all([
        unwrap(authClient.listSessions()),
        unwrap(authClient.getSession()),
      ]);
      return { list: list as Session[], currentToken: current?.session.token };
    },
  });
  const [revoking, setRevoking] = useState<Session | null>(null);
  const revoke = useMutation({
    mutationFn: (token: string) => unwrap(authClient.revokeSession({ token })),
    meta: { inlineError: true },
    onSuccess: () => {
      toast.success("Session signed out");
      setRevoking(null);
      return queryClient.invalidateQueries({ queryKey: ["auth.sessions"] });
    },
  });
  return (
    <section className="space-y-3">
      <h2 className="text-lg font-medium">Sessions</h2>
      {sessions.isPending && <Spinner />}
      {sessions.isError && <ErrorState error={sessions.error} onRetry={() => sessions.refetch()} />}
      {sessions.data && (
        <Table caption="Sessions" head={["Device", "Address", "Signed in", "Last active", ""]}>
          {sessions.data.list.map((session, index) => {
            const current = session.token === sessions.data.currentToken;
            const name = `${describeAgent(session.userAgent)} (${session.ipAddress ?? "unknown address"})`;
            return (
              // Tokens stay out of the DOM: rows are keyed by position.
              // biome-ignore lint/suspicious/noArrayIndexKey: the list is replaced as a whole
              <tr key={index}>
                <Cell>
                  <span className="mr-2">{describeAgent(session.userAgent)}</span>
                  {current && <Badge tone="success">This session</Badge>}
                </Cell>
                <Cell>{session.ipAddress ?? "—"}</Cell>
                <Cell>{new Date(session.createdAt).toLocaleString()}</Cell>
                <Cell>{new Date(session.updatedAt).toLocaleString()}</Cell>
                <Cell>
                  {!current && (
                    <Button
                      variant="ghost"
                      aria-label={`Sign out ${name}`}
                      onClick={() => setRevoking(session)}
                    >
                      Sign out
                    </Button>
                  )}
                </Cell>
              </tr>
            );
          })}
        </Table>
      )}
      <ConfirmDialog
        open={revoking !== null}
        onOpenChange={(open) => {
          if (open) return;
          setRevoking(null);
          revoke.reset();
        }}
        title="Sign out this session?"
        description={`${describeAgent(revoking?.userAgent)} at ${revoking?.ipAddress ?? "an unknown address"} will have to sign in again.`}
        confirmLabel="Sign out session"
        pending={revoke.isPending}
        error={revoke.error}
        onConfirm={() => revoking && revoke.mutate(revoking.token)}
      />
    </section>
  );
}
