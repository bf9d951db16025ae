import { LinkedAccounts } from "./linked-accounts.tsx";
import { PasswordForm } from "./password-form.tsx";
import { ProfileForm } from "./profile-form.tsx";
import { Sessions } from "./sessions.tsx";

/** The signed-in user's own settings: name, password, sessions, sign-in methods. */
export function AccountPage() {
  return (
    <div className="max-w-4xl space-y-10">
      <h1 className="text-2xl font-semibold">Account</h1>
      <ProfileForm />
      <PasswordForm />
      <Sessions />
      <LinkedAccounts />
    </div>
  );
}
