/**
 * Helpers shared by the action nodes: reading a credential with its type's schema, turning
 * guard failures into execution-log messages, and honouring the node's abort signal.
 * Nothing here ever puts a credential value into a message.
 */
import type { z } from "zod";
import { AppError } from "../../../lib/errors.ts";
import { OutboundError } from "../../../net/errors.ts";
import { type CredentialType, parseCredential } from "../../vault/types/index.ts";
import type { UnsealedCredential } from "../../vault/use.ts";

/**
 * Validates an unsealed credential against its type before use. The vault validated it on
 * save, but a node must not build headers or connection targets from unchecked values; the
 * error names the failing fields only, never their values.
 */
export function readCredential<S extends z.ZodType, T extends z.ZodType>(
  credential: UnsealedCredential,
  type: CredentialType<string, S, T>,
): { settings: z.output<T>; secret: z.output<S> } {
  if (credential.type !== type.id) {
    throw new AppError("BAD_REQUEST", `Expected a ${type.id} credential, got ${credential.type}`, {
      field: "credential",
    });
  }
  try {
    return parseCredential(type, credential);
  } catch (error) {
    const issues = (error as { issues?: { path: PropertyKey[] }[] }).issues ?? [];
    const fields = [...new Set(issues.map((issue) => issue.path.map(String).join(".")))];
    throw new AppError(
      "BAD_REQUEST",
      `The ${type.id} credential is not valid${fields.length ? ` (${fields.join(", ")})` : ""}; edit it in the vault`,
      { field: "credential" },
    );
  }
}

/**
 * A guard failure as the node reports it. Refused or malformed destinations are
 * configuration problems (AppError, not worth retrying); timeouts and connection failures
 * stay OutboundErrors so a retry policy can tell them apart.
 */
export function outboundFailure(error: unknown, what: string, timeoutMs: number): unknown {
  if (!(error instanceof OutboundError)) return error;
  if (error.failure === "blocked" || error.failure === "invalid") {
    return new AppError("BAD_REQUEST", `${what} refused: ${error.message}`, {
      failure: error.failure,
    });
  }
  if (error.failure === "timeout") {
    return new OutboundError("timeout", `${what} timed out after ${timeoutMs} ms`, {
      cause: error,
    });
  }
  return new OutboundError(error.failure, `${what} failed: ${error.message}`, { cause: error });
}

/**
 * Settles with `work`, or rejects as soon as `signal` aborts (node timeout or cancel), calling
 * `onAbort` so the connection behind `work` is torn down instead of left running.
 */
export function untilAborted<T>(
  signal: AbortSignal,
  work: Promise<T>,
  what: string,
  onAbort?: () => void,
): Promise<T> {
  const reason = () =>
    signal.reason instanceof Error && signal.reason.name !== "AbortError"
      ? signal.reason
      : new Error(`${what} was aborted (node timeout or cancelled execution)`);
  if (signal.aborted) {
    work.catch(() => {}); // it is abandoned; its failure must not surface as unhandled
    onAbort?.();
    return Promise.reject(reason());
  }
  return new Promise<T>((resolve, reject) => {
    const abort = () => {
      onAbort?.();
      reject(reason());
    };
    signal.addEventListener("abort", abort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", abort));
  });
}

/** A URL for messages: origin and path only, since query strings often carry keys. */
export function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return "an invalid URL";
  }
}
