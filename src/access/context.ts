import type { Db } from "../db/client.ts";
import type { Role } from "./statements.ts";

/** Where a request came from; recorded with every audit event. */
export interface RequestMeta {
  requestId: string;
  ip: string | undefined;
  userAgent: string | undefined;
}

export type Actor =
  | { kind: "user"; userId: string; memberId: string }
  | { kind: "system"; reason: string }
  /** Someone without an account, through a public review link; `label` is the name they gave. */
  | { kind: "reviewLink"; linkId: string; reviewId: string; label: string };

/** A signed-in user, before any organization is involved. */
export interface UserContext {
  db: Db;
  meta: RequestMeta;
  userId: string;
  email: string;
  emailVerified: boolean;
  sessionId: string;
}

/**
 * The access context for organization-scoped work. Built only by `loadMemberContext`
 * (membership re-read from the database on every request).
 */
export interface MemberContext {
  db: Db;
  meta: RequestMeta;
  orgId: string;
  userId: string;
  memberId: string;
  role: Role;
  actor: Actor;
}
