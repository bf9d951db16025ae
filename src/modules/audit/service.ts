import { and, desc, eq, lt } from "drizzle-orm";
import { z } from "zod";
import { authorize } from "../../access/authorize.ts";
import type { MemberContext } from "../../access/context.ts";
import { auditEvent } from "../../db/schema/index.ts";
import { withTenant } from "../../db/tenant.ts";

export const listAuditInput = z
  .object({
    limit: z.number().int().min(1).max(200).default(50),
    before: z.iso.datetime().optional(),
  })
  .prefault({});

export async function listAuditEvents(ctx: MemberContext, input: z.input<typeof listAuditInput>) {
  authorize(ctx, "audit:view");
  const { limit, before } = listAuditInput.parse(input);
  return withTenant(ctx.db, ctx.orgId, (tx) =>
    tx
      .select()
      .from(auditEvent)
      .where(
        and(
          eq(auditEvent.organizationId, ctx.orgId),
          before ? lt(auditEvent.createdAt, new Date(before)) : undefined,
        ),
      )
      .orderBy(desc(auditEvent.createdAt))
      .limit(limit),
  );
}
