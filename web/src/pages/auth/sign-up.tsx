import { useMutation } from "@tanstack/react-query";
import { Link, useNavigate, useSearch } from "@tanstack/react-router";
import { useState } from "react";
import { Button } from "../../components/ui/button.tsx";
import { Field } from "../../components/ui/field.tsx";
import { FormError } from "../../components/ui/states.tsx";
import { authClient, unwrap } from "../../lib/auth.ts";
import { AuthCard } from "./auth-card.tsx";
import { SocialButtons } from "./sign-in.tsx";
import { verifiedPage } from "./verify-email.tsx";

export function SignUpPage() {
  const { redirect } = useSearch({ from: "/sign-up" });
  const navigate = useNavigate();
  const [form, setForm] = useState({ name: "", email: "", password: "" });
  const signUp = useMutation({
    mutationFn: () =>
      unwrap(authClient.signUp.email({ ...form, callbackURL: verifiedPage(redirect) })),
    meta: { inlineError: true },
    onSuccess: () => navigate({ to: "/verify-email", search: { email: form.email, redirect } }),
  });
  const set = (key: keyof typeof form) => (event: React.ChangeEvent<HTMLInputElement>) =>
    setForm({ ...form, [key]: event.target.value });
  return (
    <AuthCard title="Create your account">
      <form
        className="space-y-4"
        onSubmit={(event) => {
          event.preventDefault();
          signUp.mutate();
        }}
      >
        <Field
          label="Name"
          autoComplete="name"
          required
          maxLength={100}
          value={form.name}
          onChange={set("name")}
        />
        <Field
          label="E-mail"
          type="email"
          autoComplete="email"
          required
          value={form.email}
          onChange={set("email")}
        />
        <Field
          label="Password"
          type="password"
          autoComplete="new-password"
          required
          minLength={10}
          maxLength={128}
          hint="At least 10 characters."
          value={form.password}
          onChange={set("password")}
        />
        <FormError error={signUp.error} />
        <Button type="submit" className="w-full" pending={signUp.isPending}>
          Sign up
        </Button>
      </form>
      <SocialButtons callbackURL={redirect ?? "/"} />
      <p className="text-sm">
        Already have an account?{" "}
        <Link to="/sign-in" search={{ redirect }} className="text-indigo-600 underline">
          Sign in
        </Link>
      </p>
    </AuthCard>
  );
}
