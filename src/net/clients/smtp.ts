import nodemailer from "nodemailer";
import type { Outbound } from "../outbound.ts";

export interface SmtpTarget {
  host: string;
  port: number;
  secure: boolean;
  user: string;
  password: string;
}

/**
 * A nodemailer transport that connects to the vetted address of `host` (no second DNS lookup)
 * while TLS verifies the original name.
 */
export async function smtpTransport(
  outbound: Outbound,
  target: SmtpTarget,
  options: { timeoutMs?: number } = {},
) {
  const vetted = await outbound.vetHost(target.host, target.port);
  const timeout = options.timeoutMs ?? 15_000;
  return nodemailer.createTransport({
    host: vetted.address,
    port: target.port,
    secure: target.secure,
    auth: { user: target.user, pass: target.password },
    tls: { servername: vetted.hostname },
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  });
}
