import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useLocation, useNavigate, useSearch } from "@tanstack/react-router";
import { Button } from "../../components/ui/button.tsx";
import { ErrorState, FormError, Spinner } from "../../components/ui/states.tsx";
import { toast } from "../../components/ui/toast.tsx";
import { authClient, unwrap } from "../../lib/auth.ts";
import { api, isApiError } from "../../lib/trpc.ts";
import { AuthCard } from "../auth/auth-card.tsx";

type Preview = Awaited<ReturnType<typeof api.invitations.preview.query>>;

const endedReason: Record<Exclude<Preview["state"], "pending">, string> = {
  expired: "This invitation has expired.",
  revoked: "This invitation was withdrawn.",
  accepted: "This invitation has already been accepted.",
};

/** "<inviter> invited you to join <org> as <role>", with where the mail went and until when. */
function InvitationSummary({ preview }: { preview: Preview }) {
  return (
    <div className="space-y-1 text-sm text-slate-700">
      <p>
        <strong>{preview.inviterName}</strong> invited you to join{" "}
        <strong>{preview.organizationName}</strong> as <strong>{preview.role}</strong>.
      </p>
      <p className="text-slate-500">
        Sent to {preview.email}; valid until {new Date(preview.expiresAt).toLocaleString()}.
      </p>
    </div>
  );
}

/**
 * Where the invitation mail's link lands (`/invitations/accept?token=…`): says who invites
 * the user where (`invitations.preview`, no session needed), then sign in or sign up first
 * (coming back here), then join.
 */
export function AcceptInvitationPage() {
  const { token } = useSearch({ from: "/invitations/accept" });
  const here = useLocation({ select: (location) => location.href });
  const session = authClient.useSession();
  const navigate = useNavigate();
  const preview = useQuery({
    queryKey: ["invitations.preview", { token }],
    queryFn: () => api.invitations.preview.query({ token: token ?? "" }),
    enabled: Boolean(token),
  });
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
  if (session.isPending || preview.isPending) return <Spinner />;
  if (preview.isError) {
    const unknown = isApiError(preview.error) && preview.error.data?.httpStatus === 404;
    return (
      <AuthCard title="Invitation">
        {unknown ? (
          <p role="alert" className="text-sm text-red-800">
            This invitation link is not valid. Check that you opened the whole link from the e-mail,
            or ask for a new invitation.
          </p>
        ) : (
          <ErrorState error={preview.error} onRetry={() => preview.refetch()} />
        )}
      </AuthCard>
    );
  }
  if (preview.data.state !== "pending") {
    return (
      <AuthCard title="Invitation">
        <p role="alert" className="text-sm text-red-800">
          {endedReason[preview.data.state]}
        </p>
        <p className="text-sm text-slate-600">
          It was {preview.data.inviterName}'s invitation to join {preview.data.organizationName} as{" "}
          {preview.data.role}.{" "}
          {preview.data.state === "accepted"
            ? "Its organization is among yours once you are signed in as the invitee."
            : `Ask ${preview.data.inviterName} or another administrator of the organization for a new one.`}
        </p>
        {preview.data.state === "accepted" && (
          <Link
            to={session.data ? "/" : "/sign-in"}
            className="text-sm font-medium text-indigo-600 underline"
          >
            {session.data ? "Open Fluxo" : "Sign in"}
          </Link>
        )}
      </AuthCard>
    );
  }
  if (!session.data) {
    return (
      <AuthCard title="You are invited to Fluxo">
        <InvitationSummary preview={preview.data} />
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
      <InvitationSummary preview={preview.data} />
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
