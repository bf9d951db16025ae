import { randomUUID } from "node:crypto";
import type { Actor, OrgContext, RequestMeta } from "../../access/context.ts";
import type { Queryable, Tx } from "../../db/client.ts";
import { auditEvent, securityEvent } from "../../db/schema/index.ts";

export interface AuditEntry {
  action: string;
  targetType?: string;
  targetId?: string;
  metadata?: Record<string, unknown>;
}

/** Who acts, in which organization, from where: a member's, an API key's or a system job's. */
export type AuditContext = Pick<OrgContext, "orgId" | "meta"> & { actor: Actor };

/** Records a tenant audit event inside the transaction that makes the change. */
export async function recordAudit(tx: Tx, ctx: AuditContext, entry: AuditEntry): Promise<void> {
  const actor = ctx.actor;
  await tx.insert(auditEvent).values({
    id: randomUUID(),
    organizationId: ctx.orgId,
    actorKind: actor.kind,
    actorId: actorId(actor),
    actorLabel: actor.kind === "system" ? actor.reason : actor.kind === "user" ? null : actor.label,
    action: entry.action,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId ?? null,
    metadata: entry.metadata ?? {},
    ip: ctx.meta.ip ?? null,
    userAgent: ctx.meta.userAgent ?? null,
    requestId: ctx.meta.requestId,
  });
}

function actorId(actor: Actor): string | null {
  if (actor.kind === "user") return actor.userId;
  if (actor.kind === "reviewLink") return actor.linkId;
  if (actor.kind === "apiKey") return actor.keyId;
  return null;
}

/** Records a user-level security event (no organization), e.g. a sign-in. */
export async function recordSecurityEvent(
  db: Queryable,
  event: { userId: string; action: string; metadata?: Record<string, unknown> },
  meta: Pick<RequestMeta, "ip" | "userAgent">,
): Promise<void> {
  await db.insert(securityEvent).values({
    id: randomUUID(),
    userId: event.userId,
    action: event.action,
    metadata: event.metadata ?? {},
    ip: meta.ip ?? null,
    userAgent: meta.userAgent ?? null,
  });
}
