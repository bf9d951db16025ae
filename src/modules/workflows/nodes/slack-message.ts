import { z } from "zod";
import { OutboundError } from "../../../net/errors.ts";
import type { OutboundResponse } from "../../../net/outbound.ts";
import { slackWebhook } from "../../vault/types/slack-webhook.ts";
import { outboundFailure, readCredential, untilAborted } from "./support.ts";
import { defineNode } from "./types.ts";

const TIMEOUT_MS = 15_000;
// The webhook URL is the secret, so messages name the service, never the URL.
const LABEL = "Slack webhook request";

export const slackMessageParameters = z.strictObject({
  text: z
    .string()
    .min(1, "is required")
    .max(40_000)
    .describe("The message; also the notification text when blocks are given."),
  blocks: z
    .array(z.record(z.string(), z.json()))
    .max(50)
    .optional()
    .describe("Slack Block Kit blocks (a JSON list), passed through as given."),
});

/** Slack answers errors as a short token such as "invalid_payload"; anything else is dropped. */
function slackError(res: OutboundResponse): string {
  const body = res.text().trim();
  return /^[a-z0-9_]{1,100}$/.test(body) ? `: ${body}` : "";
}

export const slackMessage = defineNode({
  type: "slack_message",
  displayName: "Slack message",
  kind: "action",
  parameters: slackMessageParameters,
  credential: { types: ["slack_webhook"], required: true },
  timeoutMs: 60_000,
  async run(ctx) {
    const { text, blocks } = ctx.parameters;
    const payload = JSON.stringify(blocks ? { text, blocks } : { text });
    let res: OutboundResponse;
    try {
      const work = ctx.useCredential(async (credential) => {
        const { secret } = readCredential(credential, slackWebhook);
        return ctx.outbound.fetch(secret.url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: payload,
          timeoutMs: TIMEOUT_MS,
          maxRedirects: 0,
        });
      });
      res = await untilAborted(ctx.signal, work, LABEL);
    } catch (error) {
      // "invalid" messages quote the URL; the URL was validated above, but never echo it.
      if (error instanceof OutboundError && error.failure === "invalid") {
        throw new OutboundError("invalid", `${LABEL} refused: the webhook URL is not valid`);
      }
      throw outboundFailure(error, LABEL, TIMEOUT_MS);
    }
    // Unlike the generic HTTP node, a refused message is a failed step: there is no useful
    // output from it, and a retry policy should see it.
    if (!res.ok)
      throw new Error(`Slack refused the message with status ${res.status}${slackError(res)}`);
    return { output: { ok: true, status: res.status } };
  },
});
