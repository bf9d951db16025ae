/**
 * Errors of the outbound guard. They do not extend AppError on purpose: an outbound failure
 * is a fact about a workflow node or a webhook delivery, and the caller decides how it is
 * shown (a failed node, a failed delivery attempt, a 400 on a "test connection" button).
 */
export type OutboundFailure =
  | "blocked"
  | "invalid"
  | "dns"
  | "connect"
  | "timeout"
  | "too_large"
  | "redirect";

export class OutboundError extends Error {
  constructor(
    readonly failure: OutboundFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "OutboundError";
  }
}

/** The destination is refused by the address policy; the message names the rule and host. */
export class OutboundBlockedError extends OutboundError {
  constructor(
    readonly host: string,
    readonly port: number,
    readonly address: string,
    readonly rule: string,
  ) {
    const via = host === address ? "" : ` (resolved from ${host})`;
    super(
      "blocked",
      `Outbound call to ${host}:${port} refused — blocked: ${address} is ${rule}${via}. ` +
        "Add it to FLUXO_OUTBOUND_ALLOW only if this destination is meant to be reachable.",
    );
    this.name = "OutboundBlockedError";
  }
}

export class OutboundTimeoutError extends OutboundError {
  constructor(what: string, timeoutMs: number) {
    super("timeout", `Outbound call to ${what} timed out after ${timeoutMs} ms`);
    this.name = "OutboundTimeoutError";
  }
}

export class OutboundResponseTooLargeError extends OutboundError {
  constructor(what: string, limit: number) {
    super("too_large", `Response from ${what} exceeds the limit of ${limit} bytes`);
    this.name = "OutboundResponseTooLargeError";
  }
}
