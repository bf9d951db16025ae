import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate, useSearch } from "@tanstack/react-router";
import { useState } from "react";
import { Button } from "../../components/ui/button.tsx";
import { Field } from "../../components/ui/field.tsx";
import { FormError } from "../../components/ui/states.tsx";
import { authClient, unwrap } from "../../lib/auth.ts";
import { providersQuery } from "../../lib/queries.ts";
import { AuthCard } from "./auth-card.tsx";
import { socialErrorMessage } from "./social-errors.ts";

export function SignInPage() {
  const { redirect, error } = useSearch({ from: "/sign-in" });
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const signIn = useMutation({
    mutationFn: () => unwrap(authClient.signIn.email({ email, password })),
    meta: { inlineError: true },
    onSuccess: async () => {
      queryClient.clear();
      await navigate({ href: redirect ?? "/" });
    },
  });
  return (
    <AuthCard title="Sign in">
      {error && (
        <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-800">
          {socialErrorMessage(error)}
        </p>
      )}
      <form
        className="space-y-4"
        onSubmit={(event) => {
          event.preventDefault();
          signIn.mutate();
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
        <Field
          label="Password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <FormError error={signIn.error} />
        {signIn.error && email && (
          <p className="text-sm">
            <Link to="/verify-email" search={{ email }} className="text-indigo-600 underline">
              Resend the verification e-mail
            </Link>
          </p>
        )}
        <Button type="submit" className="w-full" pending={signIn.isPending}>
          Sign in
        </Button>
      </form>
      <SocialButtons callbackURL={redirect ?? "/"} />
      <p className="flex justify-between text-sm">
        <Link to="/sign-up" search={{ redirect }} className="text-indigo-600 underline">
          Create an account
        </Link>
        <Link to="/forgot-password" className="text-indigo-600 underline">
          Forgot password?
        </Link>
      </p>
    </AuthCard>
  );
}

/** One button per provider the instance has configured (auth.providers), none otherwise. */
export function SocialButtons({ callbackURL }: { callbackURL: string }) {
  const { data: providers } = useQuery(providersQuery);
  const social = useMutation({
    mutationFn: (provider: string) =>
      unwrap(authClient.signIn.social({ provider, callbackURL, errorCallbackURL: "/sign-in" })),
  });
  if (!providers?.length) return null;
  return (
    <div className="space-y-2">
      {providers.map((provider) => (
        <Button
          key={provider.id}
          variant="secondary"
          className="w-full"
          pending={social.isPending && social.variables === provider.id}
          onClick={() => social.mutate(provider.id)}
        >
          Continue with {provider.name}
        </Button>
      ))}
    </div>
  );
}
