import { and, desc, eq, gte, lt, sql } from "drizzle-orm";
import { z } from "zod";
import { authorize } from "../../access/authorize.ts";
import type { MemberContext } from "../../access/context.ts";
import { auditEvent, user } from "../../db/schema/index.ts";
import { withTenant } from "../../db/tenant.ts";
import { decodeCursor, encodeCursor } from "../reviews/cursor.ts";

export const listAuditInput = z
  .strictObject({
    limit: z.number().int().min(1).max(200).default(50),
    /** `nextCursor` of the previous page. */
    cursor: z.string().max(500).optional(),
    /** An exact action (`review.approved`), or a family ending in a dot (`review.`). */
    action: z
      .string()
      .trim()
      .regex(/^[a-z_.]{1,100}$/i, "action: letters, dots and underscores only")
      .optional(),
    /** Who acted: a user's, API key's or review link's id. */
    actorId: z.string().min(1).max(100).optional(),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
  })
  .prefault({});

const positionAt = sql<string>`to_char(${auditEvent.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * The organization's audit events, newest first, one page at a time (`nextCursor` is null on
 * the last page). A user actor comes with the e-mail it signs in with.
 */
export async function listAuditEvents(ctx: MemberContext, input: z.input<typeof listAuditInput>) {
  authorize(ctx, "audit:view");
  const { limit, cursor, action, actorId, from, to } = listAuditInput.parse(input);
  const after = cursor === undefined ? undefined : decodeCursor(cursor);
  const rows = await withTenant(ctx.db, ctx.orgId, (tx) =>
    tx
      .select({ event: auditEvent, actorEmail: user.email, position: positionAt })
      .from(auditEvent)
      .leftJoin(user, and(eq(auditEvent.actorKind, "user"), eq(user.id, auditEvent.actorId)))
      .where(
        and(
          eq(auditEvent.organizationId, ctx.orgId),
          action?.endsWith(".")
            ? sql`starts_with(${auditEvent.action}, ${action})`
            : action
              ? eq(auditEvent.action, action)
              : undefined,
          actorId ? eq(auditEvent.actorId, actorId) : undefined,
          from ? gte(auditEvent.createdAt, new Date(from)) : undefined,
          to ? lt(auditEvent.createdAt, new Date(to)) : undefined,
          after
            ? sql`(${auditEvent.createdAt}, ${auditEvent.id}) < (${after.at}::timestamptz, ${after.id})`
            : undefined,
        ),
      )
      .orderBy(desc(auditEvent.createdAt), desc(auditEvent.id))
      .limit(limit + 1),
  );
  const last = rows.length > limit ? rows[limit - 1] : undefined;
  return {
    items: rows.slice(0, limit).map(({ event, actorEmail }) => ({ ...event, actorEmail })),
    nextCursor: last ? encodeCursor({ at: last.position, id: last.event.id }) : null,
  };
}
