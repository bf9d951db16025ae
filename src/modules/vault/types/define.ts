import { z } from "zod";

/**
 * A kind of credential. `secret` fields are encrypted and write-only; `settings` are stored in
 * plaintext and shown in the UI, so they are strict objects: a secret typed into settings by
 * mistake is refused rather than stored in the clear.
 */
export interface CredentialType<
  Id extends string = string,
  Secret extends z.ZodType = z.ZodType,
  Settings extends z.ZodType = z.ZodType,
> {
  readonly id: Id;
  readonly displayName: string;
  readonly secret: Secret;
  readonly settings: Settings;
  /** Rules spanning both halves; report issues with paths like ["secret", "password"]. */
  readonly check?: (
    value: { settings: z.output<Settings>; secret: z.output<Secret> },
    ctx: z.RefinementCtx,
  ) => void;
  /**
   * Strings besides the secret fields' values that give a secret away when they appear in an
   * execution log, e.g. the `user:password` pair that basic auth encodes.
   */
  readonly revealedBy?: (value: {
    settings: z.output<Settings>;
    secret: z.output<Secret>;
  }) => string[];
}

/** Identity function that keeps the literal id and schema types of a definition. */
export const defineCredentialType = <
  const Id extends string,
  Secret extends z.ZodType,
  Settings extends z.ZodType,
>(
  type: CredentialType<Id, Secret, Settings>,
) => type;

/**
 * Validates a complete credential (after the service merged in the stored secret fields).
 * Throws a ZodError whose issue paths name the field, e.g. "settings.headerName".
 */
export function parseCredential<Secret extends z.ZodType, Settings extends z.ZodType>(
  type: CredentialType<string, Secret, Settings>,
  input: { settings: unknown; secret: unknown },
): { settings: z.output<Settings>; secret: z.output<Secret> } {
  const schema = z.object({ settings: type.settings, secret: type.secret });
  // The object's inferred output equals check's parameter; TS cannot see that for generics.
  const checked = type.check ? schema.superRefine(type.check as never) : schema;
  return checked.parse(input) as { settings: z.output<Settings>; secret: z.output<Secret> };
}
