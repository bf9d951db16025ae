import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "../../../../src/trpc/router.ts";

/** `orgs.retention.get`: the settings in force, their source, and the instance's defaults. */
export type Retention = inferRouterOutputs<AppRouter>["orgs"]["retention"]["get"];
export type RetentionValues = Pick<Retention, "keepDays" | "keepFailedDays" | "keepPerWorkflow">;

export const retentionQueryKey = ["orgs.retention.get"];
