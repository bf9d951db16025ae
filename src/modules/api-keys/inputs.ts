import { z } from "zod";
import { apiScopeNames } from "../../access/statements.ts";

/** The longest a key may be issued for; keys without an expiry are allowed too. */
export const MAX_KEY_SECONDS = 2 * 366 * 24 * 3600;
/** The longest a rolled key may keep working next to its replacement. */
export const MAX_ROLL_OVERLAP_SECONDS = 7 * 24 * 3600;

const scope = z.enum(apiScopeNames, {
  error: (issue) =>
    `unknown scope ${JSON.stringify(issue.input)}; one of ${apiScopeNames.join(", ")}`,
});

export const apiKeyInputs = {
  create: z
    .strictObject({
      name: z.string().trim().min(1, "name is required").max(100),
      scopes: z.array(scope).min(1, "give at least one scope").max(apiScopeNames.length),
      expiresInSeconds: z.number().int().min(60).max(MAX_KEY_SECONDS).optional(),
      expiresAt: z.coerce.date().optional(),
    })
    .refine((input) => !(input.expiresInSeconds && input.expiresAt), {
      path: ["expiresAt"],
      message: "give expiresInSeconds or expiresAt, not both",
    }),
  keyId: z.strictObject({ keyId: z.string().min(1) }),
  roll: z.strictObject({
    keyId: z.string().min(1),
    oldKeyExpiresInSeconds: z.number().int().min(0).max(MAX_ROLL_OVERLAP_SECONDS),
  }),
};

export type CreateApiKeyInput = z.input<typeof apiKeyInputs.create>;
