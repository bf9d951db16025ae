import nodemailer from "nodemailer";
import type { Logger } from "./logger.ts";

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/**
 * Text that users chose (an organization name), made fit for a mail body: control and
 * direction-override characters removed, whitespace collapsed, cut to `maxLength`, and put in
 * quotes so a reader sees where it starts and ends.
 */
export function quoteUserText(text: string, maxLength = 60): string {
  const clean = text
    .replace(/[\p{Cc}\p{Cf}\u2028\u2029]+/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
  const chars = Array.from(clean); // whole code points: never half an emoji
  const cut =
    chars.length > maxLength
      ? `${chars
          .slice(0, maxLength - 1)
          .join("")
          .trimEnd()}…`
      : clean;
  return `"${cut.replaceAll('"', "'")}"`;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
  close(): void;
}

/**
 * SMTP when `SMTP_URL` is set; otherwise each message (with its links) is written to the
 * log so a local user can follow it.
 */
export function createMailer(options: {
  smtpUrl?: string | undefined;
  from: string;
  logger: Logger;
}): Mailer {
  const { smtpUrl, from, logger } = options;
  if (!smtpUrl) {
    return {
      async send(message) {
        logger.info(
          { mail: { to: message.to, subject: message.subject, body: message.text } },
          "mail (no SMTP_URL: written to the log)",
        );
      },
      close() {},
    };
  }
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    async send(message) {
      await transport.sendMail({ from, ...message });
      logger.info({ mail: { to: message.to, subject: message.subject } }, "mail sent");
    },
    close: () => transport.close(),
  };
}
