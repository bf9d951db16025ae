import type { Db } from "../db/client.ts";
import type { ApiScope, Role } from "./statements.ts";

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
  | { kind: "reviewLink"; linkId: string; reviewId: string; label: string }
  | ApiKeyActor;

/** A program calling the REST API with an organization API key. */
export interface ApiKeyActor {
  kind: "apiKey";
  keyId: string;
  /** The key's name and display prefix, e.g. `CI deploy (flx_a1B2c3D4)`. */
  label: string;
  scopes: readonly ApiScope[];
}

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
  actor: Exclude<Actor, ApiKeyActor>;
}

/**
 * The access context of an API key call. Built only by `verifyApiKey`: the organization is the
 * key's own, never one named by the request.
 */
export interface KeyContext {
  db: Db;
  meta: RequestMeta;
  orgId: string;
  actor: ApiKeyActor;
}

/** Anything that may act inside one organization: a member or an API key. */
export type OrgContext = MemberContext | KeyContext;

export const isKeyContext = (ctx: OrgContext): ctx is KeyContext => ctx.actor.kind === "apiKey";
