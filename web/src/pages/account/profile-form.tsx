import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "../../components/ui/button.tsx";
import { Field } from "../../components/ui/field.tsx";
import { ErrorState, FormError, Spinner } from "../../components/ui/states.tsx";
import { toast } from "../../components/ui/toast.tsx";
import { authClient, unwrap } from "../../lib/auth.ts";

const sessionQueryKey = ["auth.session"];

/** The name others see beside the e-mail address (reviews, members, audit). */
export function ProfileForm() {
  const session = useQuery({
    queryKey: sessionQueryKey,
    queryFn: () => unwrap(authClient.getSession()),
  });
  return (
    <section className="space-y-3">
      <h2 className="text-lg font-medium">Profile</h2>
      {session.isPending && <Spinner />}
      {session.isError && <ErrorState error={session.error} onRetry={() => session.refetch()} />}
      {session.data && <NameForm name={session.data.user.name} email={session.data.user.email} />}
    </section>
  );
}

function NameForm({ name: saved, email }: { name: string; email: string }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState(saved);
  const rename = useMutation({
    meta: { inlineError: true },
    mutationFn: () => unwrap(authClient.updateUser({ name: name.trim() })),
    onSuccess: async () => {
      toast.success("Name saved");
      await queryClient.invalidateQueries({ queryKey: sessionQueryKey });
    },
  });
  return (
    <form
      className="max-w-sm space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        rename.mutate();
      }}
    >
      <Field
        label="Name"
        autoComplete="name"
        required
        maxLength={100}
        value={name}
        onChange={(e) => setName(e.target.value)}
        hint={`Shown beside ${email}, which stays your sign-in address.`}
      />
      <FormError error={rename.error} />
      <Button
        type="submit"
        pending={rename.isPending}
        disabled={!name.trim() || name.trim() === saved}
      >
        Save name
      </Button>
    </form>
  );
}
