import { z } from "zod";
import { defineCredentialType } from "./define.ts";

/** Only Slack's own webhook host: the URL is a secret, and must not point anywhere else. */
function isSlackWebhook(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return (
    url.protocol === "https:" &&
    url.hostname === "hooks.slack.com" &&
    url.port === "" &&
    url.username === "" &&
    url.password === "" &&
    /^\/(services|triggers)\/[^/]+/.test(url.pathname)
  );
}

/** A Slack incoming webhook (https://hooks.slack.com/services/...). */
export const slackWebhook = defineCredentialType({
  id: "slack_webhook",
  displayName: "Slack incoming webhook",
  settings: z.strictObject({}),
  secret: z.strictObject({
    url: z
      .string()
      .max(2048)
      .refine(isSlackWebhook, "must be an https://hooks.slack.com/services/... URL"),
  }),
});
