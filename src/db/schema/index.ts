export * from "./audit.ts";
export * from "./auth.ts";
export * from "./orgs.ts";
export { appRole } from "./tenant.ts";
