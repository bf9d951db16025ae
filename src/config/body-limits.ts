import { z } from "zod";

/** The largest request body, in bytes, each surface reads; larger ones are refused with 413. */
export interface BodyLimits {
  /** Incoming webhooks (`/hooks`): the body becomes a trigger payload. */
  hooks: number;
  /** The app's tRPC API (`/trpc`): workflow definitions are its largest bodies. */
  trpc: number;
  /** REST API v1 (`/api/v1`): review payloads and webhook endpoints. */
  api: number;
  /** Sign-in, sign-up and the other account endpoints (`/api/auth`). */
  auth: number;
  /** The decision forms of public review pages (`/r`, `/q`). */
  reviewPages: number;
}

const KB = 1024;
const MB = 1024 * KB;

export const defaultBodyLimits: BodyLimits = {
  hooks: MB,
  trpc: 2 * MB,
  api: MB,
  auth: 64 * KB,
  reviewPages: 64 * KB,
};

const units: Record<string, number> = { "": 1, b: 1, kb: KB, mb: MB };

/** A size such as `65536`, `64kb` or `2mb` (1 kb = 1024 bytes), from 1 kb to 100 mb. */
export const byteSize = (fallback: number) =>
  z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return fallback;
      const match = /^(\d+)\s*(b|kb|mb)?$/i.exec(value.trim());
      const bytes = match ? Number(match[1]) * (units[(match[2] ?? "").toLowerCase()] ?? 1) : NaN;
      if (bytes >= KB && bytes <= 100 * MB) return bytes;
      ctx.addIssue({
        code: "custom",
        message: "must be a size from 1kb to 100mb, e.g. 512kb or 2mb",
      });
      return z.NEVER;
    });
