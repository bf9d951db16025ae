import { and, eq, inArray } from "drizzle-orm";
import type { Db, Queryable } from "../../../db/client.ts";
import { member, user } from "../../../db/schema/index.ts";
import { AppError } from "../../../lib/errors.ts";
import type { Mailer } from "../../../lib/mailer.ts";

const addressOf = (recipient: string) =>
  (/<([^<>]+)>\s*$/.exec(recipient)?.[1] ?? recipient).trim().toLowerCase();

/** The recipients (addresses, or "Name <address>") who are not members of the organization. */
export async function nonMembers(db: Queryable, orgId: string, recipients: string[]) {
  const wanted = recipients.map(addressOf).filter(Boolean);
  if (!wanted.length) return [];
  const rows = await db
    .select({ email: user.email })
    .from(member)
    .innerJoin(user, eq(user.id, member.userId))
    .where(and(eq(member.organizationId, orgId), inArray(user.email, wanted)));
  const members = new Set(rows.map((r) => r.email.toLowerCase()));
  return wanted.filter((address) => !members.has(address));
}

/**
 * The instance's own mailer as workflows see it: it sends only to members of the
 * organization, so nobody can use the instance's sender address to mail the world.
 * Mail to anyone else needs the organization's own smtp credential.
 */
export function orgMembersOnlyMailer(db: Db, orgId: string, mailer: Mailer): Mailer {
  return {
    async send(message) {
      const outsiders = await nonMembers(db, orgId, message.to.split(","));
      if (outsiders.length) {
        throw new AppError(
          "BAD_REQUEST",
          `Without an smtp credential, e-mail goes only to members of the organization (not ${outsiders.join(", ")})`,
          { field: "to" },
        );
      }
      await mailer.send(message);
    },
    close: () => {},
  };
}
