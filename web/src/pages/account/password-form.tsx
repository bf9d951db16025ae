import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "../../components/ui/button.tsx";
import { CheckboxField } from "../../components/ui/checkbox.tsx";
import { Field } from "../../components/ui/field.tsx";
import { FormError } from "../../components/ui/states.tsx";
import { toast } from "../../components/ui/toast.tsx";
import { authClient, unwrap } from "../../lib/auth.ts";

export function PasswordForm() {
  const queryClient = useQueryClient();
  const [currentPassword, setCurrent] = useState("");
  const [newPassword, setNew] = useState("");
  const [revokeOtherSessions, setRevoke] = useState(true);
  const change = useMutation({
    meta: { inlineError: true },
    mutationFn: () =>
      unwrap(authClient.changePassword({ currentPassword, newPassword, revokeOtherSessions })),
    onSuccess: () => {
      toast.success(
        revokeOtherSessions
          ? "Password changed; your other sessions are signed out"
          : "Password changed",
      );
      setCurrent("");
      setNew("");
      return queryClient.invalidateQueries({ queryKey: ["auth.sessions"] });
    },
  });
  return (
    <section className="space-y-3">
      <h2 className="text-lg font-medium">Change password</h2>
      <form
        className="max-w-sm space-y-4"
        onSubmit={(event) => {
          event.preventDefault();
          change.mutate();
        }}
      >
        <Field
          label="Current password"
          type="password"
          autoComplete="current-password"
          required
          value={currentPassword}
          onChange={(e) => setCurrent(e.target.value)}
        />
        <Field
          label="New password"
          type="password"
          autoComplete="new-password"
          required
          minLength={10}
          maxLength={128}
          hint="At least 10 characters."
          value={newPassword}
          onChange={(e) => setNew(e.target.value)}
        />
        <CheckboxField
          label="Sign out my other sessions"
          checked={revokeOtherSessions}
          onChange={(e) => setRevoke(e.target.checked)}
        />
        <FormError error={change.error} />
        <Button type="submit" pending={change.isPending}>
          Change password
        </Button>
      </form>
    </section>
  );
}
