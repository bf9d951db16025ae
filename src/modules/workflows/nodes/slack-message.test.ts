/**
 * Slack stand-in: the credential type only accepts https://hooks.slack.com/... (port 443), so
 * the test keeps that URL and bends the network under it, all on loopback:
 *  - a stub resolver answers hooks.slack.com with 127.0.0.1 (allowlisted on port 443);
 *  - the guard's connect hook sends the vetted 127.0.0.1:443 socket to our server's port;
 *  - the server presents a throwaway certificate for hooks.slack.com, trusted via `ca`.
 * So TLS, SNI and the certificate check run as they would against Slack. Needs openssl.
 */
import https from "node:https";
import type { AddressInfo } from "node:net";
import type { TLSSocket } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../../lib/errors.ts";
import { parseAllowlist } from "../../../net/allowlist.ts";
import type { Connect } from "../../../net/connect.ts";
import { createOutbound } from "../../../net/outbound.ts";
import { hasOpenssl, selfSignedCertificate } from "../../../net/test-certificate.ts";
import { loopbackOnlyConnect, stubResolver } from "../../../net/testing.ts";
import { slackMessage } from "./slack-message.ts";
import { credential, failure, outputOf, runNode } from "./testing.ts";

const HOOK_PATH = "/services/T000/B000/SeCrEtWebhookToken";
const HOOK_URL = `https://hooks.slack.com${HOOK_PATH}`;

interface Hit {
  path: string;
  sni: string | false | null;
  contentType: string | undefined;
  body: string;
}

describe.skipIf(!hasOpenssl())("slack_message node", () => {
  const hits: Hit[] = [];
  let server: https.Server;
  let port = 0;
  let cert = "";

  beforeAll(async () => {
    const generated = selfSignedCertificate("hooks.slack.com");
    cert = generated.cert;
    const key = generated.key;
    server = https.createServer({ key, cert }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        hits.push({
          path: req.url ?? "",
          sni: (req.socket as TLSSocket).servername,
          contentType: req.headers["content-type"],
          body,
        });
        // Like Slack: "ok", or a short error token with a 4xx.
        const text = (JSON.parse(body) as { text?: string }).text;
        if (text === "bad") {
          res.statusCode = 400;
          res.end("invalid_payload");
        } else {
          res.end("ok");
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  /** The guard, with hooks.slack.com:443 leading to the local server. */
  function slackOutbound(options: { trustCert?: boolean; address?: string } = {}) {
    const loopback = loopbackOnlyConnect();
    const connect: Connect = (target) =>
      loopback({ ...target, port: target.port === 443 ? port : target.port });
    return createOutbound({
      allow: parseAllowlist("127.0.0.1:443"),
      resolver: stubResolver({ "hooks.slack.com": [options.address ?? "127.0.0.1"] }),
      connect,
      ca: options.trustCert === false ? undefined : cert,
      timeoutMs: 3000,
    });
  }

  const webhook = (url = HOOK_URL) => credential("slack_webhook", {}, { url });

  it("posts the message as JSON to the webhook over TLS for hooks.slack.com", async () => {
    const blocks = [{ type: "section", text: { type: "mrkdwn", text: "*hi*" } }];
    const result = await runNode(
      slackMessage,
      { text: "hello", blocks },
      { credential: webhook(), outbound: slackOutbound() },
    );
    expect(outputOf(result)).toEqual({ ok: true, status: 200 });
    const hit = hits.at(-1);
    expect(hit).toMatchObject({
      path: HOOK_PATH,
      sni: "hooks.slack.com",
      contentType: "application/json",
    });
    expect(JSON.parse(hit?.body ?? "")).toEqual({ text: "hello", blocks });
  });

  it("fails with Slack's error token when Slack refuses, never naming the webhook URL", async () => {
    const error = await failure(
      runNode(slackMessage, { text: "bad" }, { credential: webhook(), outbound: slackOutbound() }),
    );
    expect(error.message).toBe("Slack refused the message with status 400: invalid_payload");
  });

  it("fails on an untrusted certificate without leaking the URL's secret path", async () => {
    const error = await failure(
      runNode(
        slackMessage,
        { text: "hello" },
        { credential: webhook(), outbound: slackOutbound({ trustCert: false }) },
      ),
    );
    expect(error.message).toMatch(
      /^Slack webhook request failed: Could not connect to hooks\.slack\.com:443/,
    );
    expect(error.message).not.toContain("SeCrEt");
  });

  it("is blocked when hooks.slack.com resolves to a private address", async () => {
    const before = hits.length;
    const error = await failure(
      runNode(
        slackMessage,
        { text: "hello" },
        { credential: webhook(), outbound: slackOutbound({ address: "10.0.0.5" }) },
      ),
    );
    expect(error).toBeInstanceOf(AppError);
    expect(error.message).toContain("blocked: 10.0.0.5");
    expect(error.message).not.toContain("SeCrEt");
    expect(hits.length).toBe(before);
  });

  it("refuses a webhook URL that is not Slack's, without echoing it", async () => {
    const before = hits.length;
    const error = await failure(
      runNode(
        slackMessage,
        { text: "hello" },
        {
          credential: webhook(`https://127.0.0.1:${port}/services/SeCrEt`),
          outbound: slackOutbound(),
        },
      ),
    );
    expect(error).toBeInstanceOf(AppError);
    expect(error.message).toBe(
      "The slack_webhook credential is not valid (secret.url); edit it in the vault",
    );
    expect(hits.length).toBe(before);
  });

  it("requires text", () => {
    expect(slackMessage.parameters.safeParse({ text: "" }).success).toBe(false);
    expect(slackMessage.credential).toEqual({ types: ["slack_webhook"], required: true });
  });
});
