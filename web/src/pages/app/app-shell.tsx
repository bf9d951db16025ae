import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, Outlet, useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { Button } from "../../components/ui/button.tsx";
import { authClient, unwrap } from "../../lib/auth.ts";
import { usePermissions } from "../../lib/permissions.ts";
import { meQuery } from "../../lib/queries.ts";
import { orgNavigation } from "../../nav.ts";
import { NavIcon } from "./nav-icon.tsx";
import { OrganizationSwitcher } from "./organization-switcher.tsx";

// Below 1280 px the navigation is a rail of icons, leaving the width to the page (the editor's
// canvas above all); each link keeps its text for screen readers and a tooltip for the eye, and
// a toggle shows the texts beside the icons, remembered on this device.
const navLinkBase =
  "flex items-center gap-3 rounded-md p-2 text-sm text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600 data-[status=active]:bg-indigo-50 data-[status=active]:font-medium data-[status=active]:text-indigo-700";
const railStyles = {
  nav: "w-14 px-2 xl:w-56 xl:px-4",
  link: `${navLinkBase} justify-center xl:justify-start xl:px-3`,
  text: "sr-only xl:not-sr-only",
};
const expandedStyles = {
  nav: "w-56 px-4",
  link: `${navLinkBase} justify-start px-3`,
  text: "",
};
const EXPANDED_KEY = "fluxo.navigation.expanded";

/** The signed-in frame: organization switcher, navigation per permission, account, sign out. */
export function AppShell() {
  const { data: me } = useQuery(meQuery);
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [expanded, setExpanded] = useState(() => localStorage.getItem(EXPANDED_KEY) === "1");
  const toggle = () => {
    localStorage.setItem(EXPANDED_KEY, expanded ? "0" : "1");
    setExpanded(!expanded);
  };
  const styles = expanded ? expandedStyles : railStyles;
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
        <nav aria-label="Main" className={`shrink-0 space-y-1 py-4 ${styles.nav}`}>
          <button
            type="button"
            aria-expanded={expanded}
            aria-label={expanded ? "Hide navigation labels" : "Show navigation labels"}
            title={expanded ? "Hide labels" : "Show labels"}
            onClick={toggle}
            className="flex w-full justify-center rounded-md p-2 text-slate-500 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600 xl:hidden"
          >
            <span aria-hidden="true">{expanded ? "«" : "»"}</span>
          </button>
          {me?.activeOrganizationId && <OrgNavigation styles={styles} />}
        </nav>
        <main className="min-w-0 flex-1 py-6 pr-6 pl-4 xl:pl-6">
          <Outlet />
        </main>
      </div>
    </div>
  );
}

function OrgNavigation({ styles }: { styles: typeof railStyles }) {
  const { can } = usePermissions();
  return (
    <ul className="space-y-1">
      <li>
        <Link to="/" className={styles.link} activeOptions={{ exact: true }} title="Overview">
          <NavIcon to="/" />
          <span className={styles.text}>Overview</span>
        </Link>
      </li>
      {orgNavigation
        .filter((item) => can(item.permission))
        .map((item) => (
          <li key={item.to}>
            <Link to={item.to} className={styles.link} title={item.label}>
              <NavIcon to={item.to} />
              <span className={styles.text}>{item.label}</span>
            </Link>
          </li>
        ))}
    </ul>
  );
}
