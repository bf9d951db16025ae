import { createHash } from "node:crypto";
import { type SQL, sql } from "drizzle-orm";
import type { TestApp } from "./app.ts";
import type { TestClient } from "./client.ts";
import { firstLink } from "./smtp.ts";
import { uniqueEmail } from "./users.ts";

export const VALID_ROLES = "OWNER, ADMIN, PARTICIPANT, REVIEWER";

export interface MemberRow {
  id: string;
  userId: string;
  role: string;
  email: string;
}

export interface AuditRow {
  id: string;
  organizationId: string;
  actorKind: string;
  actorId: string | null;
  actorLabel: string | null;
  actorEmail: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  metadata: Record<string, unknown>;
  ip: string | null;
  userAgent: string | null;
  createdAt: string;
}

export const sha256Hex = (value: string) => createHash("sha256").update(value).digest("hex");

/** Rows of a raw query run directly on the test database (as the migrating superuser). */
export async function dbRows<T = Record<string, unknown>>(t: TestApp, query: SQL): Promise<T[]> {
  const result = (await t.deps.database.db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

/** Invites `email` with `role` and returns the token read from the mail the SMTP peer got. */
export async function invite(t: TestApp, inviter: TestClient, role: string, email = uniqueEmail()) {
  const created = await inviter.mutate<{ id: string }>("invitations.create", { email, role });
  const mail = await t.smtp.lastTo(email);
  const link = firstLink(mail.text);
  const token = new URL(link).searchParams.get("token");
  if (!token) throw new Error(`no token in invitation link ${link}`);
  return { invitationId: created.id, email, token, link, mail };
}

export const members = (client: TestClient) => client.list<MemberRow>("members.list");

export interface AuditPage {
  items: AuditRow[];
  nextCursor: string | null;
}

/** The newest 200 audit events of the client's active organization. */
export const auditEvents = async (client: TestClient) =>
  (await client.query<AuditPage>("audit.list", { limit: 200 })).items;

/** How many OWNERs the organization has, read from the database itself. */
export async function ownerCount(t: TestApp, orgId: string): Promise<number> {
  const rows = await dbRows<{ n: number | string }>(
    t,
    sql`select count(*)::int as n from member where organization_id = ${orgId} and role = 'OWNER'`,
  );
  return Number(rows[0]?.n);
}
