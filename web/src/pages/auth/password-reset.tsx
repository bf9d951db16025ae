import { useMutation } from "@tanstack/react-query";
import { Link, useSearch } from "@tanstack/react-router";
import { useState } from "react";
import { Button } from "../../components/ui/button.tsx";
import { Field } from "../../components/ui/field.tsx";
import { FormError } from "../../components/ui/states.tsx";
import { authClient, unwrap } from "../../lib/auth.ts";
import { AuthCard } from "./auth-card.tsx";

export function ForgotPasswordPage() {
  const [email, setEmail] = useState("");
  const request = useMutation({
    mutationFn: () =>
      unwrap(authClient.requestPasswordReset({ email, redirectTo: "/reset-password" })),
    meta: { inlineError: true },
  });
  return (
    <AuthCard title="Reset your password">
      {request.isSuccess ? (
        <p role="status" className="text-sm text-slate-600">
          If an account uses {email}, a reset link is on its way. It is valid for one hour.
        </p>
      ) : (
        <form
          className="space-y-4"
          onSubmit={(event) => {
            event.preventDefault();
            request.mutate();
          }}
        >
          <Field
            label="E-mail"
            type="email"
            autoComplete="email"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
          <FormError error={request.error} />
          <Button type="submit" className="w-full" pending={request.isPending}>
            Send reset link
          </Button>
        </form>
      )}
      <Link to="/sign-in" className="block text-sm text-indigo-600 underline">
        Back to sign in
      </Link>
    </AuthCard>
  );
}

/** Where the reset link from the mail lands: `/reset-password?token=…`. */
export function ResetPasswordPage() {
  const { token } = useSearch({ from: "/reset-password" });
  const [password, setPassword] = useState("");
  const reset = useMutation({
    mutationFn: () =>
      unwrap(authClient.resetPassword({ token: token ?? "", newPassword: password })),
    meta: { inlineError: true },
  });
  if (!token) {
    return (
      <AuthCard title="Reset your password">
        <p role="alert" className="text-sm text-red-800">
          This reset link is incomplete. Ask for a new one.
        </p>
        <Link to="/forgot-password" className="block text-sm text-indigo-600 underline">
          Request a new link
        </Link>
      </AuthCard>
    );
  }
  if (reset.isSuccess) {
    return (
      <AuthCard title="Password changed">
        <p role="status" className="text-sm text-slate-600">
          Your password is changed and your other sessions are signed out.
        </p>
        <Link to="/sign-in" className="block text-sm font-medium text-indigo-600 underline">
          Sign in
        </Link>
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Choose a new password">
      <form
        className="space-y-4"
        onSubmit={(event) => {
          event.preventDefault();
          reset.mutate();
        }}
      >
        <Field
          label="New password"
          type="password"
          autoComplete="new-password"
          required
          minLength={10}
          maxLength={128}
          hint="At least 10 characters."
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <FormError error={reset.error} />
        <Button type="submit" className="w-full" pending={reset.isPending}>
          Change password
        </Button>
      </form>
    </AuthCard>
  );
}
