import { z } from "zod";
import { AppError } from "../../../lib/errors.ts";
import { smtpTransport } from "../../../net/clients/smtp.ts";
import { smtp } from "../../vault/types/smtp.ts";
import type { UnsealedCredential } from "../../vault/use.ts";
import { outboundFailure, readCredential, untilAborted } from "./support.ts";
import { defineNode, type NodeContext } from "./types.ts";

const TIMEOUT_MS = 30_000;

const hasControl = (v: string) =>
  [...v].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);

interface Recipient {
  name: string;
  address: string;
}

/** "user@example.com" or "Name <user@example.com>"; undefined when it is neither. */
function parseRecipient(value: string): Recipient | undefined {
  if (hasControl(value)) return undefined;
  const match = /^\s*(?:([^<>]*)<([^<>\s]+)>|([^<>\s]+))\s*$/.exec(value);
  const address = match?.[2] ?? match?.[3];
  if (!address || !z.email().safeParse(address).success) return undefined;
  // Quotes and backslashes would need escaping in a header; a display name can do without.
  const name = (match?.[1] ?? "").replace(/["\\]/g, "").trim();
  return { name, address };
}

const recipient = z
  .string()
  .max(320)
  .refine((v) => parseRecipient(v) !== undefined, {
    message: "must be an e-mail address, optionally as Name <address>",
  });

export const sendEmailParameters = z.strictObject({
  to: z
    .union([recipient, z.array(recipient).min(1).max(50)])
    .describe("One address or a JSON list of them; each may be written Name <address>."),
  subject: z
    .string()
    .min(1, "is required")
    .max(998)
    .refine((v) => !hasControl(v), "must not contain line breaks or control characters"),
  text: z.string().max(1_000_000),
});

type Parameters = z.output<typeof sendEmailParameters>;

function recipients(p: Parameters): Recipient[] {
  const list = Array.isArray(p.to) ? p.to : [p.to];
  return list.map((v) => parseRecipient(v) as Recipient);
}

const addressOf = (entry: string | { address: string }) =>
  typeof entry === "string" ? entry : entry.address;

/** A nodemailer failure as a log line: codes and addresses, never the server's AUTH dialogue. */
function smtpFailure(error: unknown, where: string): Error {
  const e = error as { code?: string; responseCode?: number; rejected?: unknown[] };
  const code = e.responseCode ? ` (SMTP ${e.responseCode})` : "";
  switch (e.code) {
    case "EAUTH":
      return new Error(`SMTP authentication at ${where} failed${code}`);
    case "EENVELOPE": {
      const rejected = (e.rejected ?? []).map((r) => addressOf(r as string)).join(", ");
      return new Error(`SMTP server ${where} refused the recipients ${rejected}${code}`.trim());
    }
    case "ETIMEDOUT":
      return new Error(`Sending e-mail through ${where} timed out after ${TIMEOUT_MS} ms`);
    case "ECONNECTION":
    case "ESOCKET":
    case "ETLS":
    case "EDNS":
      return new Error(`Could not connect to SMTP server ${where} (${e.code})`);
    default:
      return new Error(
        `Sending e-mail through ${where} failed (${e.code ?? "unknown error"})${code}`,
      );
  }
}

async function sendWithCredential(
  ctx: NodeContext<Parameters>,
  to: Recipient[],
  credential: UnsealedCredential,
) {
  const { settings, secret } = readCredential(credential, smtp);
  const where = `${settings.host}:${settings.port}`;
  let transport: Awaited<ReturnType<typeof smtpTransport>>;
  try {
    transport = await smtpTransport(
      ctx.outbound,
      { ...settings, password: secret.password },
      { timeoutMs: TIMEOUT_MS },
    );
  } catch (error) {
    throw outboundFailure(error, `SMTP connection to ${where}`, TIMEOUT_MS);
  }
  try {
    const message = { from: settings.from, to, subject: ctx.parameters.subject };
    const sending = transport.sendMail({ ...message, text: ctx.parameters.text });
    const info = await untilAborted(ctx.signal, sending, `Sending e-mail through ${where}`, () =>
      transport.close(),
    );
    return {
      messageId: info.messageId,
      accepted: info.accepted.map(addressOf),
      rejected: info.rejected.map(addressOf),
    };
  } catch (error) {
    throw ctx.signal.aborted ? error : smtpFailure(error, where);
  } finally {
    transport.close();
  }
}

export const sendEmail = defineNode({
  type: "send_email",
  displayName: "Send e-mail",
  kind: "action",
  parameters: sendEmailParameters,
  credential: { types: ["smtp"], required: false },
  timeoutMs: 60_000,
  async run(ctx) {
    const to = recipients(ctx.parameters);
    if (ctx.hasCredential) {
      return { output: await ctx.useCredential((c) => sendWithCredential(ctx, to, c)) };
    }
    // The instance's mailer takes one header string and reports no per-recipient result.
    const header = to.map((r) => (r.name ? `"${r.name}" <${r.address}>` : r.address)).join(", ");
    const { subject, text } = ctx.parameters;
    try {
      await untilAborted(
        ctx.signal,
        ctx.systemMailer.send({ to: header, subject, text }),
        "Sending e-mail",
      );
    } catch (error) {
      // the instance mailer's own refusals (recipients outside the org) are already clear
      throw ctx.signal.aborted || error instanceof AppError
        ? error
        : smtpFailure(error, "the instance mailer");
    }
    return { output: { accepted: to.map((r) => r.address) } };
  },
});
