import type { Action } from "../../src/access/statements.ts";

/**
 * The organization's pages in the side navigation; each shows only to members whose role
 * has `permission` (access.myPermissions). A new page adds its entry here.
 */
export const orgNavigation: { to: string; label: string; permission: Action }[] = [
  { to: "/reviews", label: "Reviews", permission: "review:view" },
  { to: "/workflows", label: "Workflows", permission: "workflow:view" },
  { to: "/executions", label: "Executions", permission: "workflow:view" },
  { to: "/credentials", label: "Credentials", permission: "credential:view" },
  { to: "/api-keys", label: "API keys", permission: "apiKey:manage" },
  { to: "/webhooks", label: "Webhooks", permission: "webhook:view" },
  { to: "/members", label: "Members", permission: "member:view" },
  { to: "/audit", label: "Audit log", permission: "audit:view" },
  { to: "/settings/retention", label: "Execution retention", permission: "retention:view" },
  { to: "/settings/organization", label: "Organization", permission: "org:update" },
];
