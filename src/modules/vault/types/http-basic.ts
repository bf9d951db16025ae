import { z } from "zod";
import { defineCredentialType } from "./define.ts";
import { text } from "./fields.ts";

/** `Authorization: Basic base64(username:password)` (RFC 7617). */
export const httpBasic = defineCredentialType({
  id: "http_basic",
  displayName: "HTTP basic auth",
  settings: z.strictObject({
    // The first colon separates user from password, so a user name cannot contain one.
    username: text(256).refine((v) => !v.includes(":"), "must not contain a colon"),
  }),
  secret: z.strictObject({ password: text(1024) }),
  // The pair, and the header value it becomes (itself echoed in base64 by some services).
  revealedBy: ({ settings, secret }) => {
    const pair = `${settings.username}:${secret.password}`;
    return [pair, Buffer.from(pair, "utf8").toString("base64")];
  },
});
