import type { BetterAuthOptions } from "better-auth";
import { eq } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { account } from "../db/schema/index.ts";
import { recordSecurityEvent } from "../modules/audit/record.ts";
import { requestMeta } from "./request-meta.ts";

type DatabaseHooks = NonNullable<BetterAuthOptions["databaseHooks"]>;

/** The provider whose callback is running, if this is an OAuth callback. */
function callbackProvider(ctx: { path?: string; params?: unknown } | null | undefined) {
  if (ctx?.path !== "/callback/:id") return undefined;
  const id = (ctx.params as { id?: unknown } | undefined)?.id;
  return typeof id === "string" ? id : undefined;
}

/**
 * User-level security events from Better Auth's database hooks. They run after the write is
 * committed, for every route that makes it: a sign-in is a new session whichever method made
 * it, a link is a new account row on a user who already had one, an unlink a deleted row.
 */
export function securityEventHooks(db: Db): DatabaseHooks {
  return {
    session: {
      create: {
        after: async (s, ctx) => {
          const provider = callbackProvider(ctx);
          await recordSecurityEvent(
            db,
            { userId: s.userId, action: "user.signed_in", metadata: provider ? { provider } : {} },
            { ip: s.ipAddress ?? undefined, userAgent: s.userAgent ?? undefined },
          );
        },
      },
    },
    account: {
      create: {
        after: async (created, ctx) => {
          // The first account is the sign-up itself (password or provider), not a link.
          const rows = await db
            .select({ id: account.id })
            .from(account)
            .where(eq(account.userId, created.userId));
          if (rows.length < 2) return;
          await recordSecurityEvent(
            db,
            {
              userId: created.userId,
              action: "user.account_linked",
              metadata: { provider: created.providerId, accountId: created.id },
            },
            requestMeta(ctx?.request),
          );
        },
      },
      delete: {
        after: async (deleted, ctx) => {
          await recordSecurityEvent(
            db,
            {
              userId: deleted.userId,
              action: "user.account_unlinked",
              metadata: { provider: deleted.providerId, accountId: deleted.id },
            },
            requestMeta(ctx?.request),
          );
        },
      },
    },
  };
}
