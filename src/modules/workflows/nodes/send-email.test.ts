import net, { type AddressInfo } from "node:net";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../../lib/errors.ts";
import { createLogger } from "../../../lib/logger.ts";
import { createMailer } from "../../../lib/mailer.ts";
import { sendEmail } from "./send-email.ts";
import { credential, failure, outputOf, runNode } from "./testing.ts";

interface Mail {
  user: string | undefined;
  from: string;
  to: string[];
  toHeader: string;
  subject: string;
  text: string;
}

/** A real SMTP peer on loopback: PLAIN/LOGIN auth when `auth` is set, refuses nobody@…. */
async function startSmtp(auth?: { user: string; password: string }) {
  const mails: Mail[] = [];
  const server = new SMTPServer({
    authOptional: !auth,
    authMethods: ["PLAIN", "LOGIN"],
    allowInsecureAuth: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onAuth(given, _session, callback) {
      if (auth && given.username === auth.user && given.password === auth.password) {
        return callback(null, { user: given.username });
      }
      return callback(new Error("Invalid username or password"));
    },
    onRcptTo(address, _session, callback) {
      if (address.address.startsWith("nobody@")) return callback(new Error("No such user"));
      return callback();
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          mails.push({
            user: session.user as string | undefined,
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            to: session.envelope.rcptTo.map((r) => r.address),
            toHeader: mail.headers.get("to") ? String((mail.to as { text: string }).text) : "",
            subject: mail.subject ?? "",
            text: (mail.text ?? "").trim(),
          });
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return { port, mails, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const smtpCredential = (port: number, password: string, host = "127.0.0.1") =>
  credential(
    "smtp",
    { host, port, secure: false, user: "mailer", from: "Fluxo <flows@example.com>" },
    { password },
  );

describe("send_email node", () => {
  const password = "s3cret-pass";
  let authed: Awaited<ReturnType<typeof startSmtp>>;
  let open: Awaited<ReturnType<typeof startSmtp>>;

  beforeAll(async () => {
    authed = await startSmtp({ user: "mailer", password });
    open = await startSmtp();
  });
  afterAll(async () => {
    await authed.close();
    await open.close();
  });

  it("sends through the smtp credential's server, authenticated, to several recipients", async () => {
    const result = await runNode(
      sendEmail,
      { to: ["Ann Example <ann@example.com>", "bob@example.com"], subject: "Hi", text: "Body" },
      { credential: smtpCredential(authed.port, password) },
    );
    const output = outputOf(result);
    expect(output).toMatchObject({
      accepted: ["ann@example.com", "bob@example.com"],
      rejected: [],
    });
    expect(output.messageId).toMatch(/^<.+@.+>$/);
    expect(JSON.stringify(output)).not.toContain(password);
    const mail = authed.mails.at(-1);
    expect(mail).toMatchObject({
      user: "mailer",
      from: "flows@example.com",
      to: ["ann@example.com", "bob@example.com"],
      subject: "Hi",
      text: "Body",
    });
    expect(mail?.toHeader).toBe('"Ann Example" <ann@example.com>, bob@example.com');
  });

  it("reports recipients the server refused, and fails when it refuses all", async () => {
    const cred = smtpCredential(authed.port, password);
    const partly = await runNode(
      sendEmail,
      { to: ["ok@example.com", "nobody@example.com"], subject: "S", text: "T" },
      { credential: cred },
    );
    expect(outputOf(partly)).toMatchObject({
      accepted: ["ok@example.com"],
      rejected: ["nobody@example.com"],
    });

    const error = await failure(
      runNode(
        sendEmail,
        { to: "nobody@example.com", subject: "S", text: "T" },
        { credential: cred },
      ),
    );
    expect(error.message).toContain("refused the recipients nobody@example.com");
  });

  it("fails on a wrong password without showing it", async () => {
    const wrong = "wrong-pass-123";
    const error = await failure(
      runNode(
        sendEmail,
        { to: "a@example.com", subject: "S", text: "T" },
        { credential: smtpCredential(authed.port, wrong) },
      ),
    );
    expect(error.message).toBe(`SMTP authentication at 127.0.0.1:${authed.port} failed (SMTP 535)`);
    expect(error.message).not.toContain(wrong);
  });

  it("sends through the system mailer when the node has no credential", async () => {
    const systemMailer = createMailer({
      smtpUrl: `smtp://127.0.0.1:${open.port}`,
      from: "Fluxo <system@example.com>",
      logger: createLogger("silent"),
    });
    try {
      const result = await runNode(
        sendEmail,
        { to: ["Cy <cy@example.com>", "dee@example.com"], subject: "System", text: "Hello" },
        { systemMailer },
      );
      expect(outputOf(result)).toEqual({ accepted: ["cy@example.com", "dee@example.com"] });
      expect(open.mails.at(-1)).toMatchObject({
        from: "system@example.com",
        to: ["cy@example.com", "dee@example.com"],
        subject: "System",
        text: "Hello",
      });
    } finally {
      systemMailer.close();
    }
  });

  it("is blocked from a private SMTP host that is not allowlisted", async () => {
    const error = await failure(
      runNode(
        sendEmail,
        { to: "a@example.com", subject: "S", text: "T" },
        { credential: smtpCredential(25, password, "10.1.2.3") },
      ),
    );
    expect(error).toBeInstanceOf(AppError);
    expect(error.message).toMatch(/^SMTP connection to 10\.1\.2\.3:25 refused: .*blocked/);
  });

  it("stops when the node's signal aborts (a server that never greets)", async () => {
    const sockets: net.Socket[] = [];
    const controller = new AbortController();
    // the node's timeout fires once the client is connected and waiting for a greeting
    const silent = net.createServer((socket) => {
      sockets.push(socket);
      controller.abort(new Error("node timeout"));
    });
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      const error = await failure(
        runNode(
          sendEmail,
          { to: "a@example.com", subject: "S", text: "T" },
          { credential: smtpCredential(port, password), signal: controller.signal },
        ),
      );
      expect(error.message).toBe("node timeout");
      expect(sockets.length).toBe(1);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it("validates recipients and the subject", () => {
    const parse = (p: unknown) => sendEmail.parameters.safeParse(p).success;
    expect(parse({ to: "a@example.com", subject: "S", text: "" })).toBe(true);
    expect(parse({ to: "a@example.com, b@example.com", subject: "S", text: "" })).toBe(false);
    expect(parse({ to: [], subject: "S", text: "" })).toBe(false);
    expect(parse({ to: "a@example.com", subject: "S\r\nBcc: x@evil.test", text: "" })).toBe(false);
    expect(parse({ to: "Eve <a@example.com>\r\nBcc: x@evil.test", subject: "S", text: "" })).toBe(
      false,
    );
  });
});
