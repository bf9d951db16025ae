import type { QueryClient } from "@tanstack/react-query";
import {
  createRootRouteWithContext,
  createRoute,
  createRouter,
  lazyRouteComponent,
  Outlet,
  type RouteComponent,
  redirect,
} from "@tanstack/react-router";
import { Toaster } from "./components/ui/toast.tsx";
import { isUnauthorized } from "./lib/errors.ts";
import { meQuery } from "./lib/queries.ts";
import { AccountPage } from "./pages/account/account-page.tsx";
import { ApiKeysPage } from "./pages/api-keys/api-keys-page.tsx";
import { AppShell } from "./pages/app/app-shell.tsx";
import { ChooseOrganizationPage } from "./pages/app/choose-organization.tsx";
import { HomePage } from "./pages/app/home.tsx";
import { OrgGate } from "./pages/app/org-gate.tsx";
import { AuditPage } from "./pages/audit/audit-page.tsx";
import { ForgotPasswordPage, ResetPasswordPage } from "./pages/auth/password-reset.tsx";
import { SignInPage } from "./pages/auth/sign-in.tsx";
import { SignUpPage } from "./pages/auth/sign-up.tsx";
import { EmailVerifiedPage, VerifyEmailPage } from "./pages/auth/verify-email.tsx";
import { CredentialsPage } from "./pages/credentials/credentials-page.tsx";
import { ExecutionsPage, executionsSearch } from "./pages/executions/executions-page.tsx";
import { AcceptInvitationPage } from "./pages/invitations/accept.tsx";
import { MembersPage } from "./pages/members/members-page.tsx";
import { ReviewDetailPage } from "./pages/reviews/review-detail.tsx";
import { ReviewsPage } from "./pages/reviews/reviews-page.tsx";
import { OrganizationPage } from "./pages/settings/organization-page.tsx";
import { RetentionPage } from "./pages/settings/retention-page.tsx";
import { EndpointDetailPage } from "./pages/webhooks/endpoint-detail.tsx";
import { WebhooksPage } from "./pages/webhooks/webhooks-page.tsx";
import { WorkflowsPage } from "./pages/workflows/list/workflows-page.tsx";

const rootRoute = createRootRouteWithContext<{ queryClient: QueryClient }>()({
  component: () => (
    <>
      <Outlet />
      <Toaster />
    </>
  ),
});

/** Where to come back to after signing in: a path on this app only. */
const redirectSearch = (search: Record<string, unknown>): { redirect?: string } => ({
  redirect:
    typeof search.redirect === "string" && /^\/(?!\/)/.test(search.redirect)
      ? search.redirect
      : undefined,
});
const stringParam = (value: unknown) => (typeof value === "string" ? value : undefined);

// Public pages: reachable signed out; mail links land here.
const signInRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/sign-in",
  // `error`: a refused social sign-in comes back here with Better Auth's code.
  validateSearch: (search): { redirect?: string; error?: string } => ({
    ...redirectSearch(search),
    error: stringParam(search.error),
  }),
  component: SignInPage,
});
const signUpRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/sign-up",
  validateSearch: redirectSearch,
  component: SignUpPage,
});
const verifyEmailRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/verify-email",
  validateSearch: (search): { email?: string; redirect?: string } => ({
    email: stringParam(search.email),
    ...redirectSearch(search),
  }),
  component: VerifyEmailPage,
});
const emailVerifiedRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/email-verified",
  validateSearch: (search): { error?: string; redirect?: string } => ({
    error: stringParam(search.error),
    ...redirectSearch(search),
  }),
  component: EmailVerifiedPage,
});
const forgotPasswordRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/forgot-password",
  component: ForgotPasswordPage,
});
const resetPasswordRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/reset-password",
  validateSearch: (search): { token?: string } => ({ token: stringParam(search.token) }),
  component: ResetPasswordPage,
});
const acceptInvitationRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/invitations/accept",
  validateSearch: (search): { token?: string } => ({ token: stringParam(search.token) }),
  component: AcceptInvitationPage,
});

// Signed-in pages: the shell loads `me` first and sends anonymous visitors to sign in.
const appRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: "app",
  beforeLoad: async ({ context, location }) => {
    try {
      await context.queryClient.ensureQueryData(meQuery);
    } catch (error) {
      if (!isUnauthorized(error)) throw error;
      throw redirect({ to: "/sign-in", search: { redirect: location.href } });
    }
  },
  component: AppShell,
});
const chooseOrganizationRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/organizations",
  component: ChooseOrganizationPage,
});
const accountRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/account",
  // `error`: a refused link of a social account comes back here with Better Auth's code.
  validateSearch: (search): { error?: string } => ({ error: stringParam(search.error) }),
  component: AccountPage,
});

// Organization pages: need an active organization (else: choose or create one).
const orgRoute = createRoute({ getParentRoute: () => appRoute, id: "org", component: OrgGate });
const orgPage = <TPath extends string>(path: TPath, component: RouteComponent) =>
  createRoute({ getParentRoute: () => orgRoute, path, component });

// Filters in the address, so one workflow's executions can be linked to.
const executionsRoute = createRoute({
  getParentRoute: () => orgRoute,
  path: "/executions",
  validateSearch: executionsSearch,
  component: ExecutionsPage,
});

// The editor and the execution viewer draw graphs with React Flow: loaded when first opened,
// so the rest of the console starts without it.
const WorkflowEditorPage = lazyRouteComponent(
  () => import("./pages/workflows/editor/workflow-editor-page.tsx"),
  "WorkflowEditorPage",
);
const ExecutionDetailPage = lazyRouteComponent(
  () => import("./pages/executions/execution-detail.tsx"),
  "ExecutionDetailPage",
);

// `?version=N` opens an older version of the workflow read-only.
const workflowEditorRoute = createRoute({
  getParentRoute: () => orgRoute,
  path: "/workflows/$workflowId",
  validateSearch: (search): { version?: number } => {
    const version = Number(search.version);
    return { version: Number.isInteger(version) && version > 0 ? version : undefined };
  },
  component: WorkflowEditorPage,
});

const routeTree = rootRoute.addChildren([
  signInRoute,
  signUpRoute,
  verifyEmailRoute,
  emailVerifiedRoute,
  forgotPasswordRoute,
  resetPasswordRoute,
  acceptInvitationRoute,
  appRoute.addChildren([
    chooseOrganizationRoute,
    accountRoute,
    orgRoute.addChildren([
      orgPage("/", HomePage),
      orgPage("/members", MembersPage),
      orgPage("/reviews", ReviewsPage),
      orgPage("/reviews/$reviewId", ReviewDetailPage),
      orgPage("/workflows", WorkflowsPage),
      workflowEditorRoute,
      executionsRoute,
      orgPage("/executions/$executionId", ExecutionDetailPage),
      orgPage("/credentials", CredentialsPage),
      orgPage("/api-keys", ApiKeysPage),
      orgPage("/webhooks", WebhooksPage),
      orgPage("/webhooks/$endpointId", EndpointDetailPage),
      orgPage("/audit", AuditPage),
      orgPage("/settings/retention", RetentionPage),
      orgPage("/settings/organization", OrganizationPage),
    ]),
  ]),
]);

export function createAppRouter(queryClient: QueryClient) {
  return createRouter({ routeTree, context: { queryClient }, defaultPreload: "intent" });
}

declare module "@tanstack/react-router" {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}
