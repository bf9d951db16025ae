export * from "./audit.ts";
export * from "./auth.ts";
export * from "./executions.ts";
export * from "./orgs.ts";
export * from "./reviews.ts";
export * from "./sharing.ts";
export { appRole } from "./tenant.ts";
export * from "./vault.ts";
export * from "./workflows.ts";
