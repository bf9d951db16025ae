import { AppError } from "../../lib/errors.ts";
import type { ReviewPosition } from "./repo.ts";

/**
 * Page cursors are opaque to clients: base64url of the last row's position. Decoding checks
 * the shape strictly, so a forged or damaged cursor is a 400 naming `cursor`, never a
 * database error.
 */
export const encodeCursor = (position: ReviewPosition) =>
  Buffer.from(JSON.stringify([position.at, position.id])).toString("base64url");

const exactUtc = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

export function decodeCursor(cursor: string): ReviewPosition {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    decoded = undefined;
  }
  if (Array.isArray(decoded) && decoded.length === 2) {
    const [at, id] = decoded as unknown[];
    if (typeof at === "string" && typeof id === "string" && isRealInstant(at) && id.length <= 100) {
      return { at, id };
    }
  }
  throw new AppError("BAD_REQUEST", "cursor: not a cursor issued by this API", {
    field: "cursor",
  });
}

/** The text names a real instant (no 31 February): it survives a round trip through Date. */
function isRealInstant(at: string): boolean {
  if (!exactUtc.test(at)) return false;
  const ms = Date.parse(at);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 23) === at.slice(0, 23);
}
