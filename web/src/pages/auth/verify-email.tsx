import { useMutation } from "@tanstack/react-query";
import { Link, useSearch } from "@tanstack/react-router";
import { useState } from "react";
import { Button } from "../../components/ui/button.tsx";
import { Field } from "../../components/ui/field.tsx";
import { FormError } from "../../components/ui/states.tsx";
import { authClient, unwrap } from "../../lib/auth.ts";
import { AuthCard } from "./auth-card.tsx";

/**
 * Where the verification link lands after verifying; `redirect` (e.g. the invitation being
 * accepted) is where signing in leads next. The server keeps only this page as the target.
 */
export function verifiedPage(redirect: string | undefined): string {
  return redirect ? `/email-verified?redirect=${encodeURIComponent(redirect)}` : "/email-verified";
}

/** After sign-up (or a refused sign-in): check your inbox, or have the link sent again. */
export function VerifyEmailPage() {
  const { email, redirect } = useSearch({ from: "/verify-email" });
  return (
    <AuthCard title="Check your inbox">
      <p className="text-sm text-slate-600">
        We sent a verification link{email ? ` to ${email}` : ""}. Follow it, then sign in.
      </p>
      <ResendVerification initialEmail={email ?? ""} redirect={redirect} />
      <Link to="/sign-in" search={{ redirect }} className="block text-sm text-indigo-600 underline">
        Back to sign in
      </Link>
    </AuthCard>
  );
}

const verificationErrors: Record<string, string> = {
  TOKEN_EXPIRED: "This verification link has expired.",
  INVALID_TOKEN: "This verification link is not valid.",
};

/** Where the verification link from the mail lands (the server's redirect), ok or not. */
export function EmailVerifiedPage() {
  const { error, redirect } = useSearch({ from: "/email-verified" });
  if (error) {
    return (
      <AuthCard title="Verification failed">
        <p role="alert" className="text-sm text-red-800">
          {verificationErrors[error] ?? "This verification link cannot be used."} Ask for a new one.
        </p>
        <ResendVerification initialEmail="" redirect={redirect} />
      </AuthCard>
    );
  }
  return (
    <AuthCard title="E-mail address verified">
      <p className="text-sm text-slate-600">
        Your e-mail address is verified. You can sign in now.
      </p>
      <Link
        to="/sign-in"
        search={{ redirect }}
        className="block text-sm font-medium text-indigo-600 underline"
      >
        Sign in
      </Link>
    </AuthCard>
  );
}

function ResendVerification({
  initialEmail,
  redirect,
}: {
  initialEmail: string;
  redirect: string | undefined;
}) {
  const [email, setEmail] = useState(initialEmail);
  const resend = useMutation({
    mutationFn: () =>
      unwrap(authClient.sendVerificationEmail({ email, callbackURL: verifiedPage(redirect) })),
    meta: { inlineError: true },
  });
  return (
    <form
      className="space-y-3"
      onSubmit={(event) => {
        event.preventDefault();
        resend.mutate();
      }}
    >
      <Field
        label="E-mail"
        type="email"
        required
        value={email}
        onChange={(e) => setEmail(e.target.value)}
      />
      <FormError error={resend.error} />
      {resend.isSuccess && (
        <p role="status" className="text-sm text-green-700">
          If that address has an unverified account, a new link is on its way.
        </p>
      )}
      <Button type="submit" variant="secondary" pending={resend.isPending}>
        Resend verification e-mail
      </Button>
    </form>
  );
}
