import type { z } from "zod";
import { authorize } from "../../../access/authorize.ts";
import type { MemberContext } from "../../../access/context.ts";
import type { RetentionDefaults } from "../../../config/executions.ts";
import { withTenant } from "../../../db/tenant.ts";
import { recordAudit } from "../../audit/record.ts";
import { retentionInputs } from "./inputs.ts";
import * as repo from "./repo.ts";

/** The settings in force for the organization, where they come from, and the instance's. */
function retentionView(row: repo.RetentionValues | undefined, defaults: RetentionDefaults) {
  const instance = {
    keepDays: defaults.keepDays,
    keepFailedDays: defaults.keepFailedDays,
    keepPerWorkflow: defaults.keepPerWorkflow,
  };
  const own = row && {
    keepDays: row.keepDays,
    keepFailedDays: row.keepFailedDays,
    keepPerWorkflow: row.keepPerWorkflow,
  };
  return { ...(own ?? instance), source: own ? "organization" : "instance", instance } as const;
}

export function getRetention(ctx: MemberContext, defaults: RetentionDefaults) {
  authorize(ctx, "retention:view");
  return withTenant(ctx.db, ctx.orgId, async (tx) =>
    retentionView(await repo.findRetention(tx, ctx.orgId), defaults),
  );
}

/** Replaces the organization's settings; the next maintenance pass prunes by them. */
export function setRetention(
  ctx: MemberContext,
  defaults: RetentionDefaults,
  input: z.input<typeof retentionInputs.set>,
) {
  authorize(ctx, "retention:manage");
  const values = retentionInputs.set.parse(input);
  return withTenant(ctx.db, ctx.orgId, async (tx) => {
    const before = retentionView(await repo.findRetention(tx, ctx.orgId), defaults);
    await repo.upsertRetention(tx, ctx.orgId, values);
    const after = retentionView(values, defaults);
    await recordAudit(tx, ctx, {
      action: "org.retention_changed",
      targetType: "organization",
      targetId: ctx.orgId,
      metadata: { before: withoutInstance(before), after: withoutInstance(after) },
    });
    return after;
  });
}

/** Drops the organization's settings: the instance defaults apply again. */
export function resetRetention(ctx: MemberContext, defaults: RetentionDefaults) {
  authorize(ctx, "retention:manage");
  return withTenant(ctx.db, ctx.orgId, async (tx) => {
    const before = retentionView(await repo.findRetention(tx, ctx.orgId), defaults);
    await repo.deleteRetention(tx, ctx.orgId);
    const after = retentionView(undefined, defaults);
    await recordAudit(tx, ctx, {
      action: "org.retention_changed",
      targetType: "organization",
      targetId: ctx.orgId,
      metadata: { before: withoutInstance(before), after: withoutInstance(after) },
    });
    return after;
  });
}

const withoutInstance = ({ instance: _instance, ...settings }: ReturnType<typeof retentionView>) =>
  settings;
