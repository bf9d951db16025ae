import { z } from "zod";
import { MAX_REVIEW_SECONDS } from "../../reviews/inputs.ts";
import { reviewWaitKey } from "../engine/wait-keys.ts";
import { notifyReviewers, REVIEW_TITLE_MAX_LENGTH } from "./review-notify.ts";
import { defineNode } from "./types.ts";

const notify = z
  .discriminatedUnion("channel", [
    z.strictObject({
      channel: z.literal("email"),
      to: z
        .array(z.email())
        .min(1)
        .max(20)
        .describe("Each recipient gets the review link and their own approve and reject links."),
    }),
    z.strictObject({ channel: z.literal("slack") }),
  ])
  .optional();

/**
 * Pauses the execution for a human decision: raises a review (routed to named members and/or
 * any REVIEWER), optionally notifies by e-mail (the node's smtp credential, or the instance
 * mailer to members) or Slack (its slack_webhook credential) with a public review link and
 * quick actions, and continues on "approved" or "rejected" when someone decides, or on
 * "expired" (or fails, per `onExpiry`) when nobody does in time.
 */
export const reviewNode = defineNode({
  type: "review",
  displayName: "Human review",
  kind: "action",
  group: "review",
  parameters: z.strictObject({
    title: z.string().trim().min(1).max(REVIEW_TITLE_MAX_LENGTH),
    body: z.string().max(20_000).default(""),
    payload: z.record(z.string(), z.unknown()).default({}),
    assignees: z
      .array(z.string().min(1))
      .max(50)
      .default([])
      .describe("Member ids the review is routed to."),
    anyReviewer: z
      .boolean()
      .default(true)
      .describe("Also route it to every member with the REVIEWER role."),
    expiresInHours: z
      .number()
      .min(0.02)
      .max(MAX_REVIEW_SECONDS / 3600)
      .default(72)
      .describe("Hours until an undecided review expires."),
    onExpiry: z
      .enum(["branch", "fail"])
      .default("branch")
      .describe('On expiry, continue on the "expired" port (branch) or fail the node.'),
    notify,
    publicLink: z
      .boolean()
      .default(false)
      .describe("Put a public link in the notification, for people without an account."),
  }),
  credential: { types: ["smtp", "slack_webhook"], required: false },
  ports: ["approved", "rejected", "expired"],
  async run(ctx) {
    const { parameters } = ctx;
    const { notify } = parameters;
    const recipients = notify?.channel === "email" ? notify.to : notify ? ["Slack"] : [];
    const raised = await ctx.requestReview(
      {
        title: parameters.title,
        body: parameters.body,
        payload: parameters.payload,
        assignees: parameters.assignees,
        anyReviewer: parameters.anyReviewer,
        expiresInSeconds: Math.round(parameters.expiresInHours * 3600),
        publicLink: parameters.publicLink && notify !== undefined,
        quickActionsFor: recipients,
      },
      // sent before the review is stored: a failure leaves no review behind
      async (raised) => {
        if (notify) await notifyReviewers(ctx, notify.channel, raised);
      },
    );
    return {
      wait: {
        key: reviewWaitKey(raised.reviewId),
        timeoutMs: Math.max(0, raised.expiresAt.getTime() - Date.now()),
        timeoutPort: parameters.onExpiry === "branch" ? "expired" : null,
      },
    };
  },
});
