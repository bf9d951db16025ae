import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link, useLocation, useNavigate, useSearch } from "@tanstack/react-router";
import { Button } from "../../components/ui/button.tsx";
import { FormError, Spinner } from "../../components/ui/states.tsx";
import { toast } from "../../components/ui/toast.tsx";
import { authClient, unwrap } from "../../lib/auth.ts";
import { api } from "../../lib/trpc.ts";
import { AuthCard } from "../auth/auth-card.tsx";

/**
 * Where the invitation mail's link lands (`/invitations/accept?token=…`): sign in or sign up
 * first (coming back here), then join.
 */
export function AcceptInvitationPage() {
  const { token } = useSearch({ from: "/invitations/accept" });
  const here = useLocation({ select: (location) => location.href });
  const session = authClient.useSession();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const accept = useMutation({
    mutationFn: () => api.invitations.accept.mutate({ token: token ?? "" }),
    meta: { inlineError: true },
    onSuccess: async () => {
      queryClient.clear();
      toast.success("You joined the organization");
      await navigate({ to: "/" });
    },
  });
  // Signed in as someone else than the invitee: sign out here and come back to this page.
  const signOut = useMutation({
    mutationFn: () => unwrap(authClient.signOut()),
    onSuccess: () => {
      accept.reset();
      queryClient.clear();
    },
  });

  if (!token) {
    return (
      <AuthCard title="Invitation">
        <p role="alert" className="text-sm text-red-800">
          This invitation link is incomplete. Open the link from the e-mail again.
        </p>
      </AuthCard>
    );
  }
  if (session.isPending) return <Spinner />;
  if (!session.data) {
    return (
      <AuthCard title="You are invited to Fluxo">
        <p className="text-sm text-slate-600">
          Sign in, or create an account with the address the invitation was sent to, to join the
          organization.
        </p>
        <div className="flex gap-2">
          <Link
            to="/sign-in"
            search={{ redirect: here }}
            className="text-sm font-medium text-indigo-600 underline"
          >
            Sign in to accept
          </Link>
          <Link
            to="/sign-up"
            search={{ redirect: here }}
            className="text-sm font-medium text-indigo-600 underline"
          >
            Sign up to accept
          </Link>
        </div>
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Join the organization">
      <p className="text-sm text-slate-600">
        Signed in as {session.data.user.email}. Accept the invitation to join.
      </p>
      <FormError error={accept.error} />
      <Button className="w-full" pending={accept.isPending} onClick={() => accept.mutate()}>
        Accept invitation
      </Button>
      <Button
        variant="ghost"
        className="w-full"
        pending={signOut.isPending}
        onClick={() => signOut.mutate()}
      >
        Not {session.data.user.email}? Sign out
      </Button>
    </AuthCard>
  );
}
