import { z } from "zod";
import { defineCredentialType } from "./define.ts";
import { hostname, port, text } from "./fields.ts";

function isPostgresUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return /^postgres(ql)?:$/.test(url.protocol) && url.hostname !== "";
  } catch {
    return false;
  }
}

/**
 * A PostgreSQL database, described either by a full connection URL (secret, since it usually
 * embeds the password) or by separate fields with only the password secret. `settings.mode`
 * says which; `check` makes sure the secret holds exactly the matching field.
 */
export const postgres = defineCredentialType({
  id: "postgres",
  displayName: "PostgreSQL",
  settings: z.discriminatedUnion(
    "mode",
    [
      z.strictObject({ mode: z.literal("url") }),
      z.strictObject({
        mode: z.literal("fields"),
        host: hostname(),
        port: port(),
        database: text(63),
        user: text(63),
        /** Like libpq's sslmode: verify-full checks the certificate and the host name. */
        ssl: z.enum(["disable", "require", "verify-full"]),
      }),
    ],
    { error: () => 'must have mode "url" or "fields"' },
  ),
  // `x-applies-when` tells a form which mode each secret field belongs to (`check` enforces it).
  secret: z.strictObject({
    connectionUrl: text(2048)
      .refine(isPostgresUrl, "must be a postgres:// or postgresql:// URL with a host")
      .optional()
      .meta({ "x-applies-when": { mode: "url" } }),
    password: text(1024)
      .optional()
      .meta({ "x-applies-when": { mode: "fields" } }),
  }),
  // The password inside a connection URL can show up on its own, e.g. in a driver's message.
  revealedBy: ({ secret }) => {
    const password = secret.connectionUrl ? new URL(secret.connectionUrl).password : "";
    return password ? [password, decodeURIComponent(password)] : [];
  },
  check({ settings, secret }, ctx) {
    const [needed, unwanted] =
      settings.mode === "url"
        ? (["connectionUrl", "password"] as const)
        : (["password", "connectionUrl"] as const);
    if (secret[needed] === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["secret", needed],
        message: `is required when mode is "${settings.mode}"`,
      });
    }
    if (secret[unwanted] !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["secret", unwanted],
        message: `must not be set when mode is "${settings.mode}"`,
      });
    }
  },
});
