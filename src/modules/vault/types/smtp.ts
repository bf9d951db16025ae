import { z } from "zod";
import { defineCredentialType } from "./define.ts";
import { hostname, port, text } from "./fields.ts";

// Either "user@example.com" or "Name <user@example.com>", as mail headers accept.
const address = text(320).refine((v) => {
  const match = /^(?:[^<>]*<([^<>\s]+)>|([^<>\s]+))$/.exec(v.trim());
  const email = match?.[1] ?? match?.[2];
  return email !== undefined && z.email().safeParse(email).success;
}, "must be an email address, optionally as Name <address>");

/** An SMTP account used to send mail. */
export const smtp = defineCredentialType({
  id: "smtp",
  displayName: "SMTP server",
  settings: z.strictObject({
    host: hostname(),
    port: port(),
    /** true: TLS from the first byte (usually 465); false: STARTTLS when offered (587). */
    secure: z.boolean(),
    user: text(320),
    from: address,
  }),
  secret: z.strictObject({ password: text(1024) }),
});
