import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, Outlet, useNavigate } from "@tanstack/react-router";
import { Button } from "../../components/ui/button.tsx";
import { authClient, unwrap } from "../../lib/auth.ts";
import { usePermissions } from "../../lib/permissions.ts";
import { meQuery } from "../../lib/queries.ts";
import { orgNavigation } from "../../nav.ts";
import { OrganizationSwitcher } from "./organization-switcher.tsx";

const navLink =
  "block rounded-md px-3 py-2 text-sm text-slate-700 hover:bg-slate-100 data-[status=active]:bg-indigo-50 data-[status=active]:font-medium data-[status=active]:text-indigo-700";

/** The signed-in frame: organization switcher, navigation per permission, account, sign out. */
export function AppShell() {
  const { data: me } = useQuery(meQuery);
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const signOut = useMutation({
    mutationFn: () => unwrap(authClient.signOut()),
    onSuccess: async () => {
      queryClient.clear();
      await navigate({ to: "/sign-in", search: { redirect: undefined } });
    },
  });
  return (
    <div className="min-h-screen bg-slate-50">
      <header className="flex items-center justify-between gap-4 border-b border-slate-200 bg-white px-6 py-3">
        <div className="flex items-center gap-6">
          <Link to="/" className="font-semibold text-indigo-600">
            Fluxo
          </Link>
          <OrganizationSwitcher />
        </div>
        <div className="flex items-center gap-3 text-sm">
          <span className="text-slate-500">{me?.email}</span>
          <Link to="/account" className="text-slate-700 underline">
            Account
          </Link>
          <Button variant="secondary" pending={signOut.isPending} onClick={() => signOut.mutate()}>
            Sign out
          </Button>
        </div>
      </header>
      <div className="flex">
        <nav aria-label="Main" className="w-56 shrink-0 space-y-1 p-4">
          {me?.activeOrganizationId && <OrgNavigation />}
        </nav>
        <main className="min-w-0 flex-1 p-6">
          <Outlet />
        </main>
      </div>
    </div>
  );
}

function OrgNavigation() {
  const { can } = usePermissions();
  return (
    <ul className="space-y-1">
      <li>
        <Link to="/" className={navLink} activeOptions={{ exact: true }}>
          Overview
        </Link>
      </li>
      {orgNavigation
        .filter((item) => can(item.permission))
        .map((item) => (
          <li key={item.to}>
            <Link to={item.to} className={navLink}>
              {item.label}
            </Link>
          </li>
        ))}
    </ul>
  );
}
