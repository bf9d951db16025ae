import { createHash, randomBytes } from "node:crypto";

/** 256 bits from the CSPRNG, base64url: for links that grant something. */
export const newToken = (): string => randomBytes(32).toString("base64url");

/** Tokens are stored and looked up only by this hash, never in plaintext. */
export const hashToken = (token: string): string =>
  createHash("sha256").update(token).digest("hex");
